/** The live stream: Server-Sent Events, no JSON body (http/routes/stream.ts). */
import { clinicalEventView } from './patients.ts';

export const lastEventIdHeaders = {
  type: 'object',
  properties: { 'last-event-id': { type: 'string', pattern: '^[0-9]{1,15}$' } },
} as const;

/**
 * What one `data:` line of the stream holds: a ClinicalEvent as logged, with
 * its chain hash (kernel/events/envelope.ts); a patient movement's data is
 * withheld (`{}`).
 */
export const streamEventView = {
  ...clinicalEventView,
  required: [...clinicalEventView.required, 'hash'],
  properties: {
    ...clinicalEventView.properties,
    hash: { type: 'string', description: 'Hex SHA-256 chaining it to the event before' },
  },
} as const;

/**
 * The stream is text/event-stream, not JSON: OpenAPI 3.0 describes it by its
 * content type; each message is `id: <seq>`, `event: <eventType>`,
 * `data: <StreamEvent as JSON>`. The route hijacks the reply, so Fastify never
 * serialises it with this schema.
 */
export const streamReply = {
  description:
    "Server-Sent Events: one message per committed reading, alert and device change (id: seq, event: eventType, data: the event as JSON); after a patient's reading that changed the patient's NEWS2, a `news2_score` message without id (data: { patientId, news2 } as in the chart's latestVitals.news2)",
  content: { 'text/event-stream': { schema: { type: 'string' } } },
} as const;
