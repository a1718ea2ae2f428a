import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricValue } from '../harness/prometheusText.ts';
import { buildInjectedGateway, type InjectedGateway, registerPatient } from '../harness/injectedGateway.ts';
import { prepareSync } from '../../sync/syncSetup.ts';

let gateway: InjectedGateway;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  prepareSync(gateway.services);
});
afterEach(async () => {
  await gateway.close();
});

describe('GET /api/v1/sync on a gateway with no Kafka brokers configured', () => {
  it('says sync is not configured and shows what waits, per lane, and since when', async () => {
    await registerPatient(gateway, 'p-fatima');
    gateway.clock.advanceSeconds(90);
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/sync',
      headers: gateway.nurseHeaders,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      configured: false,
      engine: 'not running',
      connected: false,
      backlog: 1,
      oldestUnsyncedSeconds: 90,
      estimatedDrainSeconds: null,
      headSeq: 1,
      acknowledgedThroughSeq: 0,
      deadLetters: { count: 0, recent: [] },
      lanes: [
        { lane: 'alert', backlog: 0, deliveredThroughSeq: 0, oldestUnsyncedAt: null },
        {
          lane: 'clinical',
          backlog: 1,
          deliveredThroughSeq: 0,
          oldestUnsyncedAt: '2026-11-26T08:00:00.000Z',
        },
        { lane: 'telemetry', backlog: 0, deliveredThroughSeq: 0, oldestUnsyncedAt: null },
        { lane: 'audit', backlog: 0, deliveredThroughSeq: 0, oldestUnsyncedAt: null },
      ],
    });
  });

  it('gives the same figures to Prometheus', async () => {
    await registerPatient(gateway, 'p-fatima');
    gateway.clock.advanceSeconds(30);
    const metrics = (await gateway.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'nilecare_sync_backlog_events', { lane: 'clinical' })).toBe(1);
    expect(metricValue(metrics, 'nilecare_sync_oldest_unsynced_seconds')).toBe(30);
    expect(metricValue(metrics, 'nilecare_sync_connected')).toBe(0);
    expect(metricValue(metrics, 'nilecare_sync_engine_running')).toBe(0);
    expect(metrics).toMatch(/^nilecare_sync_estimated_drain_seconds \+Inf$/m);
    expect(metricValue(metrics, 'nilecare_sync_last_success_timestamp_seconds')).toBe(0);
    // Appends stay counted by the platform design's name; sends to Kafka by their own.
    expect(metricValue(metrics, 'events_published_total')).toBe(1);
    expect(metricValue(metrics, 'nilecare_sync_events_sent_total')).toBe(0);
  });
});
