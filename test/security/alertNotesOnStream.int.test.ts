import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPatient } from '../harness/injectedGateway.ts';
import { signInOverHttp } from '../harness/sessions.ts';
import { type SseFrame, sseFrames } from '../harness/sseFrames.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

/** What a nurse types when she acknowledges: a diagnosis and a national ID, PHI a technician must not see. */
const note = 'Known HIV+, on ART; family gave national ID SD7391046285';

let gateway: TestGateway;
let base: string;
let nurse: { cookie: string };
let technician: { cookie: string };
const streams = new AbortController();

beforeAll(async () => {
  gateway = await startTestGateway();
  base = `http://127.0.0.1:${gateway.httpPort}`;
  nurse = (await signInOverHttp(gateway, 'nurse')).headers;
  technician = (await signInOverHttp(gateway, 'technician')).headers;
});
afterAll(async () => {
  streams.abort();
  await gateway?.stop();
});

function post(path: string, body: unknown) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...nurse, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The live stream as a browser's EventSource opens it, with the session of `who`. */
async function openStream(who: { cookie: string }): Promise<AsyncGenerator<SseFrame>> {
  const response = await fetch(`${base}/api/v1/stream`, {
    headers: { ...who, accept: 'text/event-stream' },
    signal: streams.signal,
  });
  expect(response.status).toBe(200);
  return sseFrames(response.body!);
}

/** The first frame of `eventType`, as sent: its raw text and its data. */
async function firstOf(frames: AsyncGenerator<SseFrame>, eventType: string) {
  for (let next = await frames.next(); !next.done; next = await frames.next())
    if (next.value.event === eventType)
      return {
        raw: next.value.data,
        data: (JSON.parse(next.value.data) as { data: Record<string, unknown> }).data,
      };
  throw new Error(`the stream ended before ${eventType}`);
}

describe('an alert acknowledged with a note, on the live stream', () => {
  it("reaches a nurse's stream with the note, and a technician's without it", async () => {
    const nurseStream = await openStream(nurse);
    const technicianStream = await openStream(technician);
    expect((await post('/api/v1/patients', newPatient('p-note'))).status).toBe(201);
    expect((await post('/api/v1/patients/p-note/vitals', { oxygenSaturation: 83 })).status).toBe(201);
    const alert = await firstOf(nurseStream, 'critical_value_detected');
    const alertId = alert.data.alertId as string;
    expect((await post(`/api/v1/alerts/${alertId}/acknowledge`, { note })).status).toBe(200);

    const toNurse = await firstOf(nurseStream, 'alert_acknowledged');
    expect(toNurse.data).toMatchObject({ alertId, note });

    const toTechnician = await firstOf(technicianStream, 'alert_acknowledged');
    expect(toTechnician.data.alertId).toBe(alertId);
    expect(toTechnician.data).not.toHaveProperty('note');
    expect(toTechnician.raw).not.toMatch(/SD7391046285|HIV/);
  });

  it("is replayed without the note to a technician's stream that resumes from Last-Event-ID", async () => {
    const before = gateway.services.log.head.seq;
    expect((await post('/api/v1/patients', newPatient('p-note-2'))).status).toBe(201);
    expect((await post('/api/v1/patients/p-note-2/vitals', { oxygenSaturation: 82 })).status).toBe(201);
    const { alerts } = (await (await fetch(`${base}/api/v1/alerts`, { headers: nurse })).json()) as {
      alerts: { alertId: string; patientId?: string }[];
    };
    const alertId = alerts.find((open) => open.patientId === 'p-note-2')!.alertId;
    expect((await post(`/api/v1/alerts/${alertId}/acknowledge`, { note })).status).toBe(200);
    const response = await fetch(`${base}/api/v1/stream`, {
      headers: { ...technician, 'last-event-id': String(before) },
      signal: streams.signal,
    });
    const replayed = await firstOf(sseFrames(response.body!), 'alert_acknowledged');
    expect(replayed.data).toEqual({ alertId, acknowledgedAt: expect.any(String) });
  });
});
