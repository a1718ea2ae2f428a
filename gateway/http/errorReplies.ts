import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, type GatewayErrorCode, isGatewayError } from '../errors.ts';
import type { ValidationIssue } from '../../kernel/events/validateEvent.ts';
import type { GatewayServices } from '../gatewayServices.ts';
import { summarize } from '../recording/clinicalRecorder.ts';
import { diskWriteFailure } from '../storage/diskWriteFailure.ts';
import type { ErrorReply } from './apiContract.ts';
import type { UnparsedBodies } from './jsonBodies.ts';
import { requestIssues } from './requestIssues.ts';

/** The contract's error reply (contract/errorReply.ts), its code one of the gateway's. */
type ErrorBody = ErrorReply & { code: GatewayErrorCode };

/** Requests that carry input meant to become a clinical fact; a refused one is counted, and quarantined when it had a body. */
const isWrite = (request: FastifyRequest) => !['GET', 'HEAD', 'OPTIONS'].includes(request.method);

/** The route, not the URL: a query string may hold what should not be stored in clear. */
const originOf = (request: FastifyRequest) =>
  `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;

/**
 * Every error leaves as `{ code, message, statusCode, details? }` with a code
 * from docs/errors.md. Refused writes are counted in events_failed_total; an
 * invalid or unparsable body is quarantined too (docs/architecture.md#guarantee-7).
 */
export function replyWithCodedErrors(
  app: FastifyInstance,
  services: GatewayServices,
  unparsed: UnparsedBodies,
): void {
  const send = (reply: FastifyReply, body: ErrorBody) => reply.code(body.statusCode).send(body);
  const countRefusal = (code: string) => services.metrics.eventsFailed.inc({ channel: 'http', reason: code });

  async function quarantine(
    request: FastifyRequest,
    reason: string,
    issues: ValidationIssue[],
    raw: string,
  ): Promise<number | undefined> {
    const outcome = await services.recorder.quarantine({
      channel: 'http',
      origin: originOf(request),
      reasonCode: 'GW_ERR_REQUEST_INVALID',
      reason,
      issues,
      raw,
    });
    return outcome.status === 'quarantined' ? outcome.quarantineId : undefined;
  }

  async function refuseRequest(
    request: FastifyRequest,
    statusCode: number,
    reason: string,
    issues: ValidationIssue[],
    raw: string | undefined,
  ): Promise<ErrorBody> {
    let quarantineId: number | undefined;
    // A body that holds a password (sign-in, new user) is counted, never kept, not even sealed.
    const keepable = raw !== undefined && request.routeOptions.config?.secretBody !== true;
    if (isWrite(request) && keepable) quarantineId = await quarantine(request, reason, issues, raw);
    else countRefusal('GW_ERR_REQUEST_INVALID');
    const details = {
      ...(issues.length > 0 ? { issues } : {}),
      ...(quarantineId !== undefined ? { quarantineId } : {}),
    };
    return {
      code: 'GW_ERR_REQUEST_INVALID',
      message: `Request refused: ${reason}`,
      statusCode,
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
  }

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (isGatewayError(error)) {
      // Disk low: counted where it is refused, and the storage guard logs the state change once.
      if (error.code === 'GW_ERR_DISK_LOW') request.log.debug({ code: error.code }, 'request refused');
      else if (error.statusCode >= 500) request.log.error({ code: error.code, err: error }, 'request failed');
      // A draft refused by its event schema was already quarantined and counted by the recorder.
      else if (isWrite(request) && error.details?.quarantineId === undefined) countRefusal(error.code);
      return send(reply, {
        code: error.code,
        message: error.message,
        statusCode: error.statusCode,
        ...(error.details ? { details: { ...error.details } } : {}),
      });
    }
    if (error.validation) {
      const issues = requestIssues(error.validation, error.validationContext ?? 'body');
      return send(
        reply,
        await refuseRequest(request, 400, summarize(issues), issues, safeBody(request.body)),
      );
    }
    // The disk failed the commit (docs/reliability.md#disk-campaign): nothing was recorded, and the client is told so.
    const sqliteCode = diskWriteFailure(error);
    if (sqliteCode) {
      const failed = new GatewayError('GW_ERR_DISK_WRITE_FAILED', [sqliteCode], { sqliteCode });
      request.log.error(
        { code: failed.code, sqliteCode },
        'request not recorded: the disk failed the commit',
      );
      if (isWrite(request)) countRefusal(failed.code);
      return send(reply, {
        code: failed.code,
        message: failed.message,
        statusCode: failed.statusCode,
        details: { sqliteCode },
      });
    }
    const statusCode =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return send(reply, {
        code: 'GW_ERR_INTERNAL',
        message: 'Internal error: see the gateway log',
        statusCode,
      });
    }
    // Unparsable JSON, an empty JSON body, a body over the limit, an unsupported content type.
    const raw = unparsed.get(request) ?? (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? '' : undefined);
    return send(reply, await refuseRequest(request, statusCode, error.message, [], raw));
  });

  app.setNotFoundHandler(async (request, reply) => {
    const error = new GatewayError('GW_ERR_ROUTE_UNKNOWN', [request.method, request.url.split('?')[0] ?? '']);
    return send(reply, { code: error.code, message: error.message, statusCode: error.statusCode });
  });
}

function safeBody(body: unknown): string {
  try {
    return typeof body === 'string' ? body : JSON.stringify(body ?? null);
  } catch {
    return '<unserialisable body>';
  }
}

/**
 * Fastify's own refusals before any route runs (a URL that does not decode, a
 * path parameter over the router's length limit, FST_ERR_BAD_URL and
 * FST_ERR_MAX_PARAM_LENGTH) in the contract's coded reply instead of
 * Fastify's. The body was never read, so there is nothing to quarantine; a
 * refused write is counted (docs/architecture.md#guarantee-7).
 */
export function frameworkErrorReply(services: Pick<GatewayServices, 'metrics'>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    if (error.code !== 'FST_ERR_BAD_URL' && error.code !== 'FST_ERR_MAX_PARAM_LENGTH') {
      request.log.error({ err: error }, 'request failed before routing');
      reply
        .code(500)
        .send({ code: 'GW_ERR_INTERNAL', message: 'Internal error: see the gateway log', statusCode: 500 });
      return;
    }
    if (isWrite(request))
      services.metrics.eventsFailed.inc({ channel: 'http', reason: 'GW_ERR_REQUEST_INVALID' });
    const statusCode = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
    const reason =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'a part of the URL path is longer than the gateway accepts'
        : 'the URL path is not validly percent-encoded';
    reply
      .code(statusCode)
      .send({ code: 'GW_ERR_REQUEST_INVALID', message: `Request refused: ${reason}`, statusCode });
  };
}
