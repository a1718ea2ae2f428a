import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { type Role, roleMay } from '../../../kernel/roles/permissions.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { lastEventIdHeaders, streamReply } from '../contract/stream.ts';
import type { LatestVitalsDoc } from '../../projections/latestVitals.ts';
import { spo2ScaleOfPatient } from '../../projections/news2Scale.ts';
import { news2Of } from '../vitalsView.ts';

/** Event types pushed on the live stream: readings, alerts and device state (no demographics, so no PHI). */
export const streamedEventTypes = new Set([
  'vital_signs_recorded',
  'critical_value_detected',
  'alert_acknowledged',
  'alert_escalated',
  'alert_resolved',
  'device_alert_triggered',
  'device_connected',
  'device_disconnected',
  // The bed board and the care team's admission notice (ids and beds only, no PHI).
  'bed_reserved',
  'bed_released',
  'care_team_notified',
  'admission_saga_completed',
  'admission_saga_failed',
  ...movementEventTypes(),
]);

/**
 * A patient's admission, transfer and discharge move the bed board; their
 * data may hold free text (reasons, summaries), so the stream carries only the
 * fact: the event without its data. The screen reads the lists again.
 */
function movementEventTypes(): string[] {
  return ['patient_admitted', 'patient_transferred', 'patient_discharged', 'encounter_closed'];
}
const dataWithheld = new Set(movementEventTypes());

/**
 * Fields of streamed events that hold what a person typed: an alert's note
 * may name a diagnosis or a national ID. They go only to roles that may read
 * patients (clinical.read); a technician's stream gets the event without them
 * (docs/security-access.md#roles-and-what-each-may-do).
 */
export const personWrittenText: Readonly<Record<string, readonly string[]>> = {
  alert_acknowledged: ['note'],
  alert_resolved: ['note'],
};

/** What the stream sends of an event to `role`: data withheld for patient movements, notes only for patient access. */
export function streamView(event: ClinicalEvent, role: Role | undefined): ClinicalEvent {
  if (dataWithheld.has(event.eventType)) return { ...event, data: {} };
  const notes = personWrittenText[event.eventType];
  if (!notes || (role !== undefined && roleMay(role, 'clinical.read'))) return event;
  return {
    ...event,
    data: Object.fromEntries(Object.entries(event.data).filter(([field]) => !notes.includes(field))),
  };
}

/**
 * The `news2_score` frame that follows a patient's reading when it changed
 * the patient's NEWS2 as this stream last sent it (total, band, missing
 * parameters, each score, scale): the board moves without polling. No `id:`:
 * it is not a log event, and a reconnecting client resumes after the reading.
 * The score is the gateway's current one (`vitalsView.ts` `news2Of`).
 */
function news2Frame(
  services: GatewayServices,
  event: ClinicalEvent,
  sent: Map<string, string>,
): string | undefined {
  const { patientId } = event;
  if (event.eventType !== 'vital_signs_recorded' || !patientId) return undefined;
  const get = <Doc>(name: string, docId: string) => services.projections.get<Doc>(name, docId);
  const news2 = news2Of(get<LatestVitalsDoc>('latestVitals', patientId), spo2ScaleOfPatient(get, patientId));
  const data = JSON.stringify({ patientId, news2 });
  if (sent.get(patientId) === data) return undefined;
  sent.set(patientId, data);
  return `event: news2_score\ndata: ${data}\n\n`;
}

/** Most log events read again for a client that reconnects with Last-Event-ID (older gaps: reload the lists). */
const MAX_REPLAYED_EVENTS = 5000;
/** Bytes queued for one slow client before its stream is ended; it reconnects with Last-Event-ID and catches up. */
const MAX_QUEUED_BYTES = 1024 * 1024;
/** Comment sent on idle streams so proxies and tablets keep the connection open, in milliseconds. */
const KEEP_ALIVE_MS = 15_000;
/**
 * How often an open stream checks that its session is still active, in
 * milliseconds of gateway clock: a screen left alone stops receiving once the
 * session ends, and its reconnection gets 401 (docs/security-access.md).
 */
const SESSION_CHECK_MS = 5000;
/** Reconnection delay suggested to the browser's EventSource, in milliseconds. */
const RETRY_MS = 2000;

/**
 * Server-Sent Events: each committed reading, alert and device change as it
 * happens (`event: <eventType>`, `id: <seq>`). A client that reconnects with
 * `Last-Event-ID` first gets what it missed from the log, so a tablet whose
 * Wi-Fi dropped does not miss an alert (docs/architecture.md#guarantee-6).
 */
export async function streamRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const open = new Set<ServerResponse>();
  // Streams never end on their own: without this, close() waits for every nurse's browser to leave.
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  app.get(
    '/api/v1/stream',
    {
      // A HEAD request would be hijacked into a stream with no body that never ends.
      exposeHeadRoute: false,
      // An open screen's stream is not its user's activity: it never slides the idle window.
      config: { permission: 'stream.read', background: true },
      schema: {
        tags: ['stream'],
        summary:
          'Live stream of vitals, alerts and device events (text/event-stream); send Last-Event-ID to resume',
        headers: lastEventIdHeaders,
        response: { 200: streamReply, ...errorReplies(400, ...signedIn) },
      },
    },
    (request, reply) => {
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      response.write(`retry: ${RETRY_MS}\n: connected to ${services.identity.gatewayId}\n\n`);
      const role = request.sessionUser?.role;
      let sessionCheckedAt = services.clock().getTime();
      const signedOut = () => {
        const now = services.clock().getTime();
        if (now - sessionCheckedAt < SESSION_CHECK_MS) return false;
        sessionCheckedAt = now;
        if (request.sessionActive?.() === true) return false;
        response.end();
        return true;
      };
      const scoresSent = new Map<string, string>();
      const send = (event: ClinicalEvent) => {
        if (response.writableEnded || !streamedEventTypes.has(event.eventType) || signedOut()) return;
        response.write(
          `id: ${event.seq}\nevent: ${event.eventType}\ndata: ${JSON.stringify(streamView(event, role))}\n\n`,
        );
        const score = news2Frame(services, event, scoresSent);
        if (score) response.write(score);
        if (response.writableLength > MAX_QUEUED_BYTES) response.end();
      };
      // Replay and subscribe in one synchronous step: no commit can fall between them.
      const lastEventId = request.headers['last-event-id'];
      if (typeof lastEventId === 'string') {
        const from = Math.max(Number(lastEventId) + 1, services.log.head.seq - MAX_REPLAYED_EVENTS + 1);
        for (const event of services.log.iterate(from)) send(event);
      }
      const unsubscribe = services.liveFeed.subscribe(send);
      open.add(response);
      const heartbeat = setInterval(() => {
        if (!response.writableEnded && !signedOut()) response.write(': keep-alive\n\n');
      }, KEEP_ALIVE_MS);
      heartbeat.unref();
      response.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(response);
      });
    },
  );
}
