import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { signInOverHttp } from '../../harness/sessions.ts';
import { newPatient } from '../../harness/injectedGateway.ts';
import { type SseFrame, sseFrames } from '../../harness/sseFrames.ts';

interface StreamedEvent {
  eventId: string;
  eventType: string;
  seq: number;
  patientId?: string;
  causationId?: string;
  data: Record<string, unknown>;
}

/**
 * The stream's frames about one patient, until `last` has come, in the order they arrived.
 * Reads with next() rather than for-await, which would close the stream on return.
 */
async function framesUntil(
  frames: AsyncGenerator<SseFrame>,
  patientId: string,
  last: string,
): Promise<{ frame: SseFrame; event: StreamedEvent }[]> {
  const seen: { frame: SseFrame; event: StreamedEvent }[] = [];
  for (let next = await frames.next(); !next.done; next = await frames.next()) {
    const event = JSON.parse(next.value.data) as StreamedEvent;
    if (event.patientId !== patientId) continue;
    seen.push({ frame: next.value, event });
    if (next.value.event === last) return seen;
  }
  throw new Error(`the stream ended before ${last}; saw ${seen.map((item) => item.frame.event).join(', ')}`);
}

let gateway: TestGateway;
let stream: AbortController;
let nurseHeaders: { cookie: string };
beforeEach(async () => {
  gateway = await startTestGateway();
  nurseHeaders = (await signInOverHttp(gateway, 'nurse')).headers;
  stream = new AbortController();
  const registered = await api('POST', '/api/v1/patients', newPatient('p-fatima'));
  expect(registered.status).toBe(201);
});
afterEach(async () => {
  stream.abort();
  await gateway.stop();
});

function api(method: string, path: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
    method,
    headers: { ...nurseHeaders, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function openStream(headers: Record<string, string> = {}): Promise<AsyncGenerator<SseFrame>> {
  const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/stream`, {
    headers: { ...nurseHeaders, ...headers },
    signal: stream.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return sseFrames(response.body!);
}

describe('the live stream (/api/v1/stream)', () => {
  it('pushes a critical reading published over MQTT: vital_signs_recorded, then critical_value_detected', async () => {
    const frames = await openStream();
    const password = await gateway.addDevice('monitor-7', { patientId: 'p-fatima', bed: 'M4' });
    const device = await gateway.connectDevice('monitor-7', password);
    const reading = {
      seq: 1,
      timestamp: '2026-11-26T10:00:00.000Z',
      vitals: { spo2: { value: 85, unit: '%' }, heartRate: { value: 118, unit: 'bpm' } },
    };
    await device.publishAsync(gateway.vitalsTopic('monitor-7'), JSON.stringify(reading), { qos: 1 });

    const seen = await framesUntil(frames, 'p-fatima', 'critical_value_detected');
    const vitals = seen.find((item) => item.frame.event === 'vital_signs_recorded');
    const critical = seen.find((item) => item.frame.event === 'critical_value_detected');
    expect(vitals).toBeDefined();
    expect(seen.indexOf(vitals!)).toBeLessThan(seen.indexOf(critical!));
    expect(vitals!.event.data).toMatchObject({
      method: 'device',
      deviceId: 'monitor-7',
      oxygenSaturation: { value: 85, unit: '%' },
    });
    expect(critical!.event).toMatchObject({
      causationId: vitals!.event.eventId,
      data: { parameter: 'oxygenSaturation', value: 85, priority: 'high', deviceId: 'monitor-7' },
    });
    expect(critical!.frame.id).toBe(String(critical!.event.seq));
  });

  it('pushes vitals recorded by hand the same way, and carries no demographics', async () => {
    const frames = await openStream();
    const recorded = await api('POST', '/api/v1/patients/p-fatima/vitals', { oxygenSaturation: 88 });
    expect(recorded.status).toBe(201);

    const seen = await framesUntil(frames, 'p-fatima', 'critical_value_detected');
    expect(seen.map((item) => item.frame.event)).toEqual([
      'vital_signs_recorded',
      'news2_score',
      'critical_value_detected',
    ]);
    expect(seen[2]!.event.causationId).toBe(seen[0]!.event.eventId);
    expect(seen.map((item) => item.frame.data).join('')).not.toMatch(/SD7391046285|enc:v1:|Fatima/);
  });

  it('replays what a reconnecting client missed after its Last-Event-ID, then goes on live', async () => {
    const health = (await (await api('GET', '/health')).json()) as { log: { headSeq: number } };
    const before = health.log.headSeq;
    await api('POST', '/api/v1/patients/p-fatima/vitals', { oxygenSaturation: 88 });

    const frames = await openStream({ 'last-event-id': String(before) });
    const missed = await framesUntil(frames, 'p-fatima', 'critical_value_detected');
    expect(missed.map((item) => item.frame.event)).toEqual([
      'vital_signs_recorded',
      'news2_score',
      'critical_value_detected',
    ]);
    expect(Number(missed[0]!.frame.id)).toBe(before + 1);

    const { alerts } = (await (await api('GET', '/api/v1/alerts')).json()) as {
      alerts: { alertId: string }[];
    };
    const alertId = alerts[0]!.alertId;
    await api('POST', `/api/v1/alerts/${alertId}/acknowledge`, {});
    const live = await framesUntil(frames, 'p-fatima', 'alert_acknowledged');
    expect(live.map((item) => item.frame.event)).toEqual(['alert_acknowledged']);
  });

  it('does not keep the gateway from stopping while a nurse is still connected', async () => {
    const frames = await openStream();
    await gateway.stop();
    const rest: SseFrame[] = [];
    try {
      for await (const frame of frames) rest.push(frame);
    } catch {
      // the connection may also end by reset; either way the stream is over
    }
    expect(rest.filter((frame) => frame.event === 'critical_value_detected')).toEqual([]);
  });
});

describe("the live stream's NEWS2 score", () => {
  it('follows a reading that changes the patient’s NEWS2 with news2_score, and stays quiet while it does not change', async () => {
    const frames = await openStream();
    await api('POST', '/api/v1/patients/p-fatima/vitals', { respiratoryRate: 10 });
    const first = await framesUntil(frames, 'p-fatima', 'news2_score');
    expect(first.map((item) => item.frame.event)).toEqual(['vital_signs_recorded', 'news2_score']);
    expect(first[1]!.frame.id).toBeUndefined();
    expect(first[1]!.event).toMatchObject({
      patientId: 'p-fatima',
      news2: {
        total: 1,
        band: 'low',
        complete: false,
        missing: [
          'oxygenSaturation',
          'supplementalOxygen',
          'systolicBloodPressure',
          'heartRate',
          'consciousness',
          'temperature',
        ],
        scores: { respiratoryRate: 1 },
        spo2Scale: 1,
      },
    });

    // The same rate again changes nothing; a pulse of 95 adds 1 (neither raises an alert).
    await api('POST', '/api/v1/patients/p-fatima/vitals', { respiratoryRate: 10 });
    await api('POST', '/api/v1/patients/p-fatima/vitals', { heartRate: 95 });
    const next = await framesUntil(frames, 'p-fatima', 'news2_score');
    expect(next.map((item) => item.frame.event)).toEqual([
      'vital_signs_recorded',
      'vital_signs_recorded',
      'news2_score',
    ]);
    expect(next[2]!.event).toMatchObject({
      news2: { total: 2, scores: { respiratoryRate: 1, heartRate: 1 } },
    });
  });
});
