import type { FastifyInstance } from 'fastify';
import type { ClinicalEvent } from '../../events/envelope.ts';
import type { GatewayServices } from '../../gatewayServices.ts';

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
]);

/**
 * Server-Sent Events: each committed reading, alert and device change as it
 * happens (`event: <eventType>`, `id: <seq>`), and a comment every 15 s so
 * proxies and tablets keep the connection open.
 */
export async function streamRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get('/api/v1/stream', { schema: { tags: ['stream'], summary: 'Live stream of vitals, alerts and device events (text/event-stream)' } }, (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`: connected to ${services.identity.gatewayId}\n\n`);
    const send = (event: ClinicalEvent) => {
      if (!streamedEventTypes.has(event.eventType)) return;
      response.write(`id: ${event.seq}\nevent: ${event.eventType}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    const unsubscribe = services.liveFeed.subscribe(send);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
