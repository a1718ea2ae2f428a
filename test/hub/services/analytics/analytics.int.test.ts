import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../../kernel/events/envelope.ts';
import { uuidV7 } from '../../../../kernel/events/ids.ts';
import { resolveHubOptions } from '../../../../hub/hubOptions.ts';
import { type Hub, startHub } from '../../../../hub/hubProcess.ts';
import { testKafkaBrokers } from '../../../harness/kafka.ts';
import { metricValue } from '../../../harness/prometheusText.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../../../harness/fakeGateway.ts';
import { startTestHub, type TestHub } from '../../../harness/hubUnderTest.ts';
import { clinicalEvents } from '../../../harness/clinicalEvents.ts';

// Analytics (docs/analytics.md): a mixed stream of every kind of event from two gateways,
// read by two instances of the analytics service that share the partitions.
let hub: TestHub;
const apiToken = 'analytics-test-token-0123456789';
const bearer = { authorization: `Bearer ${apiToken}` };
let second: Hub;

beforeAll(async () => {
  hub = await startTestHub({ services: ['ingest-guard', 'analytics'], apiToken });
  const databaseUrl = (hub.hub.pool as unknown as { options: { connectionString: string } }).options
    .connectionString;
  second = await startHub(
    resolveHubOptions({
      kafkaBrokers: testKafkaBrokers(),
      databaseUrl,
      topicPrefix: hub.prefix,
      consumerGroupPrefix: `${hub.prefix}group`,
      services: ['analytics'],
      httpHost: '127.0.0.1',
      httpPort: 0,
      logLevel: 'silent',
    }),
    { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) },
  );
}, 120_000);

afterAll(async () => {
  await second?.close();
  await hub?.close();
});

/** Every kind of event the services read, at event times spread over three windows, one late. */
function mixedStream(gatewayName: string, correlationId: string) {
  const gateway = fakeGateway(uniqueGatewayId(gatewayName));
  const envelope: { timestamp?: string; correlationId?: string } = {};
  const events = clinicalEvents(gateway, envelope);
  const out: ClinicalEvent[] = [];
  const time = (hhmmss: string) => {
    envelope.timestamp = `2026-07-10T${hhmmss}.000Z`;
  };
  for (let n = 0; n < 8; n += 1) {
    const patientId = `p-${n}`;
    time(`10:0${n % 2}:10`); // window 10:00
    out.push(events.registered(patientId, ['penicillin']));
    time(`10:0${5 + (n % 3)}:20`); // window 10:05
    envelope.correlationId = n === 0 ? correlationId : undefined;
    out.push(events.prescribed(patientId, `rx-${n}`, 'paracetamol', { value: 500, unit: 'mg' }));
    out.push(events.diagnosis(patientId, 'B50.9'));
    delete envelope.correlationId;
    time('10:11:00'); // window 10:10
    out.push(events.criticalValue(patientId, `alert-${n}`));
    out.push(events.labResult(patientId, `res-${n}`));
    out.push(events.appointment(patientId, `appt-${n}`));
  }
  // A late event: recorded now, its event time in the first window.
  time('10:04:59');
  out.push(
    gateway.next({
      eventType: 'device_connected',
      source: 'device-integration-service',
      timestamp: '2026-07-10T10:04:59.000Z',
      data: { deviceId: 'monitor-late', transport: 'mqtt', connectedAt: '2026-07-10T10:04:59.000Z' },
    }),
  );
  return { gateway, events: out };
}

const countsApi = async (query: string) => {
  const response = await hub.hub.http.inject({
    headers: bearer,
    method: 'GET',
    url: `/api/v1/analytics/event-counts?${query}`,
  });
  return {
    status: response.statusCode,
    body: response.json() as {
      counts: { windowStart: string; eventType: string; facilityId: string; count: number }[];
      code?: string;
    },
  };
};

describe('event counts in 5-minute windows', () => {
  const correlationA = `corr-${uuidV7()}`;
  const a = mixedStream('analytics-a', correlationA);
  const b = mixedStream('analytics-b', correlationA);

  it('count each event once, in the window of its event time, shared between two instances', async () => {
    await hub.produce(a.events);
    await hub.produce(b.events);
    // Redelivery: the whole of gateway a's stream again.
    await hub.produce(a.events);
    const total = a.events.length + b.events.length;
    await waitFor(
      'every event counted',
      async () =>
        (await hub.query<{ n: number }>('SELECT sum(count)::int AS n FROM analytics_event_counts'))[0]?.n ===
        total,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [sum] = await hub.query<{ n: number }>('SELECT sum(count)::int AS n FROM analytics_event_counts');
    expect(sum?.n).toBe(total);
    // Both instances took part: each counted some of the records.
    const counted = async (h: Hub) =>
      metricValue(await await h.metrics.registry.metrics(), 'events_processed_total', {
        service: 'analytics',
        outcome: 'counted',
      }) ?? 0;
    const first = await counted(hub.hub);
    const other = await counted(second);
    expect(first).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(0);
    expect(first + other).toBe(total);
  });

  it('count a batch of one window together, and nothing more when the whole batch comes again', async () => {
    const gateway = fakeGateway(uniqueGatewayId('analytics-batch'));
    const at = '2025-01-11T08:01:00.000Z';
    const batch = [1, 2, 3, 4, 5].map((n) => gateway.vitals('p-batch', 70 + n, { timestamp: at }));
    const inWindow = async () =>
      (
        await hub.query<{ n: number }>(
          `SELECT coalesce(sum(count), 0)::int AS n FROM analytics_event_counts
           WHERE window_start = '2025-01-11T08:00:00Z' AND facility_id = $1`,
          [batch[0]!.facilityId],
        )
      )[0]?.n;
    const duplicates = async () => {
      let total = 0;
      for (const h of [hub.hub, second])
        total += metricValue(await h.metrics.registry.metrics(), 'events_processed_total', {
          service: 'analytics',
          outcome: 'duplicate',
        });
      return total;
    };
    await hub.produceTogether(batch);
    await waitFor('the batch counted', async () => (await inWindow()) === 5, { timeoutMs: 30_000 });
    const before = await duplicates();
    await hub.produceTogether(batch);
    await waitFor('the batch seen again', async () => (await duplicates()) >= before + 5, {
      timeoutMs: 30_000,
    });
    expect(await inWindow()).toBe(5);
  });

  it('serve the windows by API, per facility, the late event in its own window', async () => {
    const facility = `facility-${a.gateway.gatewayId}`;
    const { status, body } = await countsApi(
      `from=2026-07-10T10:00:00Z&to=2026-07-10T10:15:00Z&facility=${facility}`,
    );
    expect(status).toBe(200);
    const of = (window: string, type: string) =>
      body.counts.find((row) => row.windowStart === `2026-07-10T${window}:00.000Z` && row.eventType === type)
        ?.count;
    expect(of('10:00', 'patient_registered')).toBe(8);
    expect(of('10:00', 'device_connected')).toBe(1);
    expect(of('10:05', 'medication_prescribed')).toBe(8);
    expect(of('10:05', 'diagnosis_added')).toBe(8);
    expect(of('10:10', 'critical_value_detected')).toBe(8);
    expect(of('10:10', 'lab_result_available')).toBe(8);
    expect(of('10:10', 'appointment_scheduled')).toBe(8);
    expect(body.counts.every((row) => row.facilityId === facility)).toBe(true);
  });

  it('refuses a range that ends before it starts', async () => {
    const { status, body } = await countsApi('from=2026-07-10T10:15:00Z&to=2026-07-10T10:00:00Z');
    expect(status).toBe(400);
    expect(body.code).toBe('HUB_ERR_QUERY_INVALID');
  });

  it('answers the correlation query across gateways, in event-time order', async () => {
    const response = await hub.hub.http.inject({
      headers: bearer,
      method: 'GET',
      url: `/api/v1/analytics/correlations/${correlationA}`,
    });
    const { events } = response.json() as {
      events: { eventType: string; gatewayId: string; timestamp: string }[];
    };
    expect(events).toHaveLength(4);
    expect(new Set(events.map((event) => event.gatewayId))).toEqual(
      new Set([a.gateway.gatewayId, b.gateway.gatewayId]),
    );
    expect(events.map((event) => event.timestamp)).toEqual(
      [...events.map((event) => event.timestamp)].sort(),
    );
  });
});

describe('the Ministry of Health quarterly report', () => {
  it('is generated once per facility, published as sudan_moh_report_generated, and downloads as CSV and HTML', async () => {
    const post = () =>
      hub.hub.http.inject({
        headers: bearer,
        method: 'POST',
        url: '/api/v1/reports/moh/quarterly',
        payload: { period: 'Q3 2026' },
      });
    const first = await post();
    expect(first.statusCode).toBe(201);
    const { generated } = first.json() as {
      generated: { reportId: string; facilityId: string; figures: Record<string, number> }[];
    };
    expect(generated).toHaveLength(2);
    expect(generated[0]!.figures).toMatchObject({
      patientsRegistered: 8,
      criticalValues: 8,
      prescriptions: 8,
      totalEvents: 49,
    });
    expect(((await post()).json() as { generated: unknown[] }).generated).toEqual([]);
    await waitFor(
      'the report events',
      () =>
        hub.compliance.filter((record) => record.headers.ce_type === 'sudan_moh_report_generated').length ===
        2,
      { timeoutMs: 20_000 },
    );
    const event = JSON.parse(
      hub.compliance.find((r) => r.headers.ce_type === 'sudan_moh_report_generated')!.value!,
    );
    expect(event).toMatchObject({
      source: 'compliance-service',
      data: { reportingPeriod: 'Q3 2026', reportType: 'quarterly_quality_metrics' },
    });
    const csv = await hub.hub.http.inject({
      headers: bearer,
      method: 'GET',
      url: `/api/v1/reports/moh/${generated[0]!.reportId}.csv`,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('\r\npatientsRegistered,8\r\n');
    const html = await hub.hub.http.inject({
      headers: bearer,
      method: 'GET',
      url: `/api/v1/reports/moh/${generated[0]!.reportId}.html`,
    });
    expect(html.body).toContain('<th scope="row">criticalValues</th><td>8</td>');
    const missing = await hub.hub.http.inject({
      headers: bearer,
      method: 'GET',
      url: `/api/v1/reports/moh/${uuidV7()}.csv`,
    });
    expect(missing.json()).toMatchObject({ code: 'HUB_ERR_REPORT_UNKNOWN', statusCode: 404 });
  });
});

describe('the analytics and report API', () => {
  it('answers only a holder of the hub API token: correlations carry whole events', async () => {
    for (const url of [
      '/api/v1/analytics/event-counts?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
      `/api/v1/analytics/correlations/${uuidV7()}`,
      '/api/v1/reports/moh',
    ]) {
      const refused = await hub.hub.http.inject({ method: 'GET', url });
      expect(refused.statusCode, url).toBe(401);
      expect(refused.json().code).toBe('HUB_ERR_API_UNAUTHORISED');
      const wrong = await hub.hub.http.inject({
        method: 'GET',
        url,
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.statusCode, url).toBe(401);
      expect((await hub.hub.http.inject({ method: 'GET', url, headers: bearer })).statusCode, url).toBe(200);
    }
  });
});
