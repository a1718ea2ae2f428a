import { type CodedError, defineErrors } from '../kernel/errors/defineErrors.ts';
import type { ErrorArea } from '../kernel/errors/errorsDoc.ts';
import { downstreamServiceErrorCodes } from './errors/downstreamServices.ts';
import { hubStartErrorCodes } from './errors/hubStart.ts';
import { ingestRejectionErrorCodes } from './errors/ingestRejections.ts';

/**
 * Coded errors of the hub (HUB_ERR_...), in three files under hub/errors/,
 * and their area of docs/errors.md (#hub-services). The rejections are also
 * the `x-nilecare-reason-code` header of a record the ingest guard sends to
 * the dead-letter topic.
 */
export const hubErrorArea = {
  title: 'Hub services',
  intro: [
    "The hub's services (`nilecare hub start`, `npm run dev:hub`) use the codes of `hub/errors.ts`.",
    "The ingest guard's seven **refusals of a Kafka record**, and `HUB_ERR_EVENT_NOT_GUARDED` of the",
    'services after it, send the record to the dead-letter topic (`dead-letter-events`) with the code in',
    'its `x-nilecare-reason-code` header and the message in `x-nilecare-reason`, beside',
    "`x-nilecare-original-topic`, `-partition` and `-offset`, and (except for the hub's own events)",
    'a `compliance_violation_detected` is published on `sudan-compliance-events`. They are counted',
    'in `events_failed_total{service,reason}`. The hub keeps running; see [hub.md](hub.md) for the',
    'checks and for replaying a dead letter. The codes of starting the hub stop `nilecare hub start`,',
    "printed as `HUB_ERR_...: message` with exit code 1; the others answer the hub's HTTP APIs or",
    'its commands.',
  ],
  codes: { ...ingestRejectionErrorCodes, ...hubStartErrorCodes, ...downstreamServiceErrorCodes },
} satisfies ErrorArea;

export const hubErrorCodes = hubErrorArea.codes;
export type HubErrorCode = keyof typeof hubErrorCodes;

/** The codes a dead-lettered record can carry in `x-nilecare-reason-code`. */
export type RejectionCode = Extract<
  HubErrorCode,
  | 'HUB_ERR_RECORD_UNREADABLE'
  | 'HUB_ERR_EVENT_INVALID'
  | 'HUB_ERR_PUBLISHER_UNAUTHORISED'
  | 'HUB_ERR_CHAIN_BROKEN'
  | 'HUB_ERR_SEQ_GAP'
  | 'HUB_ERR_EVENT_CONFLICT'
  | 'HUB_ERR_PROCESSING_FAILED'
  | 'HUB_ERR_EVENT_NOT_GUARDED'
>;

const hubErrors = defineErrors('HubError', hubErrorCodes);

/** An error with a code from the table above; `details` carries structured facts (never PHI). */
export const HubError = hubErrors.Error;
export type HubError = CodedError<HubErrorCode>;
export const isHubError = hubErrors.is;

/** The message of `code` with each %s filled in order. */
export const hubMessage = hubErrors.message;
