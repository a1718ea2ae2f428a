import type { FastifyInstance } from 'fastify';
import type { HubPool } from '../db/hubDatabase.ts';
import { HubError } from '../errors.ts';
import { parseQuarter } from '../services/analytics/mohQuarterlyFigures.ts';
import { mohReportCsv, mohReportHtml } from '../services/analytics/mohReportFiles.ts';
import type { MohReports } from '../services/analytics/mohReports.ts';
import { requireApiToken } from './apiAuth.ts';
import { bearerSecured, errorReply, jsonReply } from './hubOpenApi.ts';

export interface AnalyticsRoutesDeps {
  pool: HubPool;
  reports: MohReports | undefined;
  /** The hub API token: the correlation query answers whole events, and the reports a facility's figures. */
  apiToken: string | undefined;
}

const maxRangeMs = 93 * 86_400_000; // ms: one quarter of 5-minute windows per request
const isoTime = { type: 'string', format: 'date-time' } as const;
const badQuery = errorReply('the query or body is refused (HUB_ERR_QUERY_INVALID)');
const unknownReport = errorReply(
  'no such report, or no analytics service in this hub (HUB_ERR_REPORT_UNKNOWN)',
);

/**
 * The analytics and report API of the hub (docs/analytics.md): event counts
 * per 5-minute window, the events of a correlation across gateways, and the
 * Ministry of Health quarterly reports (generate, list, download as CSV or HTML).
 */
export async function analyticsRoutes(app: FastifyInstance, deps: AnalyticsRoutesDeps): Promise<void> {
  app.addHook('onRequest', requireApiToken(deps.apiToken));
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof HubError)
      return reply
        .code(error.statusCode)
        .send({ code: error.code, message: error.message, statusCode: error.statusCode });
    if (error.statusCode === 400)
      return reply
        .code(400)
        .send({ code: 'HUB_ERR_QUERY_INVALID', message: `Query refused: ${error.message}`, statusCode: 400 });
    throw error;
  });

  app.get<{ Querystring: { from: string; to: string; facility?: string; eventType?: string } }>(
    '/api/v1/analytics/event-counts',
    {
      schema: {
        security: bearerSecured,
        tags: ['analytics'],
        summary: 'Event counts per 5-minute tumbling window of event time, by type and facility',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: {
            from: isoTime,
            to: isoTime,
            facility: { type: 'string', minLength: 1, maxLength: 64 },
            eventType: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 },
          },
        },
        response: {
          200: jsonReply(
            '`windowMinutes` and `counts`: windowStart, windowEnd, eventType, facilityId, count',
          ),
          400: badQuery,
        },
      },
    },
    async (request) => {
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      if (!(to > from) || to.getTime() - from.getTime() > maxRangeMs)
        throw new HubError('HUB_ERR_QUERY_INVALID', ['"to" must be after "from", and at most 93 days later']);
      const { rows } = await deps.pool.query<{
        window_start: Date;
        event_type: string;
        facility_id: string;
        count: string;
      }>(
        `SELECT window_start, event_type, facility_id, count FROM analytics_event_counts
         WHERE window_start >= $1 AND window_start < $2
           AND ($3::text IS NULL OR facility_id = $3) AND ($4::text IS NULL OR event_type = $4)
         ORDER BY window_start, facility_id, event_type`,
        [from, to, request.query.facility ?? null, request.query.eventType ?? null],
      );
      return {
        windowMinutes: 5,
        counts: rows.map((row) => ({
          windowStart: row.window_start.toISOString(),
          windowEnd: new Date(row.window_start.getTime() + 5 * 60_000).toISOString(),
          eventType: row.event_type,
          facilityId: row.facility_id,
          count: Number(row.count),
        })),
      };
    },
  );

  app.get<{ Params: { correlationId: string } }>(
    '/api/v1/analytics/correlations/:correlationId',
    {
      schema: {
        security: bearerSecured,
        tags: ['analytics'],
        summary: 'All events of a correlationId in event-time order, across gateways and the hub',
        params: {
          type: 'object',
          required: ['correlationId'],
          properties: { correlationId: { type: 'string', minLength: 1, maxLength: 128 } },
        },
        response: {
          200: jsonReply(
            '`events`: eventId, eventType, facilityId, timestamp, source, causationId, gatewayId, seq',
          ),
          400: badQuery,
        },
      },
    },
    async (request) => {
      const { rows } = await deps.pool.query<{
        event_id: string;
        event_type: string;
        facility_id: string;
        event_time: Date;
        causation_id: string | null;
        gateway_id: string | null;
        seq: string | null;
        source: string;
      }>(
        `SELECT event_id, event_type, facility_id, event_time, causation_id, gateway_id, seq, source
         FROM analytics_events WHERE correlation_id = $1 OR event_id::text = $1
         ORDER BY event_time, gateway_id NULLS LAST, seq NULLS LAST, event_id`,
        [request.params.correlationId],
      );
      return {
        correlationId: request.params.correlationId,
        events: rows.map((row) => ({
          eventId: row.event_id,
          eventType: row.event_type,
          facilityId: row.facility_id,
          timestamp: row.event_time.toISOString(),
          source: row.source,
          ...(row.causation_id ? { causationId: row.causation_id } : {}),
          ...(row.gateway_id ? { gatewayId: row.gateway_id, seq: Number(row.seq) } : {}),
        })),
      };
    },
  );

  const reports = () => {
    if (!deps.reports)
      throw new HubError('HUB_ERR_REPORT_UNKNOWN', ['(the analytics service is not running here)']);
    return deps.reports;
  };

  app.post<{ Body: { period: string; facilityId?: string } }>(
    '/api/v1/reports/moh/quarterly',
    {
      schema: {
        security: bearerSecured,
        tags: ['reports'],
        summary:
          "Generate a quarter's MoH report now (the schedule does it on the first day of each quarter)",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['period'],
          properties: {
            period: { type: 'string', pattern: '^Q[1-4] [0-9]{4}$', description: 'e.g. "Q3 2026"' },
            facilityId: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
        response: { 201: jsonReply('`generated`: the reports appended'), 400: badQuery, 404: unknownReport },
      },
    },
    async (request, reply) => {
      const quarter = parseQuarter(request.body.period);
      if (!quarter) throw new HubError('HUB_ERR_QUERY_INVALID', ['period must be like "Q3 2026"']);
      const generated = await reports().generate(quarter, request.body.facilityId);
      return reply.code(201).send({ generated });
    },
  );

  app.get(
    '/api/v1/reports/moh',
    {
      schema: {
        security: bearerSecured,
        tags: ['reports'],
        summary: 'MoH reports generated so far',
        response: { 200: jsonReply('`reports`: each report with its figures'), 404: unknownReport },
      },
    },
    async () => ({
      reports: await reports().list(),
    }),
  );

  app.get<{ Params: { reportId: string; format: string } }>(
    '/api/v1/reports/moh/:reportId.:format',
    {
      schema: {
        security: bearerSecured,
        tags: ['reports'],
        summary: 'Download a MoH report as CSV or HTML (print the HTML to PDF)',
        params: {
          type: 'object',
          required: ['reportId', 'format'],
          properties: {
            reportId: { type: 'string', maxLength: 64 },
            format: { type: 'string', enum: ['csv', 'html'] },
          },
        },
        response: {
          200: {
            description: 'the report as an attachment',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'text/html': { schema: { type: 'string' } },
            },
          },
          404: unknownReport,
        },
      },
    },
    async (request, reply) => {
      const report = await reports().get(request.params.reportId);
      if (!report) throw new HubError('HUB_ERR_REPORT_UNKNOWN', [request.params.reportId]);
      const name = `moh-${report.facilityId}-${report.reportingPeriod.replace(' ', '-')}.${request.params.format}`;
      reply.header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
      return request.params.format === 'csv'
        ? reply.type('text/csv; charset=utf-8').send(mohReportCsv(report))
        : reply.type('text/html; charset=utf-8').send(mohReportHtml(report));
    },
  );
}
