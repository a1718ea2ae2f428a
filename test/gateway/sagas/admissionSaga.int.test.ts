import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayOptions } from '../../../gateway/config/gatewayOptions.ts';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { openEventLogReader, type StoredEvent } from '../../harness/eventLogReader.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { type Staff, signInNurseOverHttp } from '../../harness/actorHeaders.ts';
import { closedPortUrl, startCareTeamWebhook } from '../../harness/careTeamWebhook.ts';

// The admission saga (docs/admission-saga.md) on a whole gateway: real SQLite file, real HTTP
// on a port, and a real care-team webhook server (or a closed port).

let gateway: TestGateway | undefined;
let nurse: Staff;
let webhook: Awaited<ReturnType<typeof startCareTeamWebhook>> | undefined;
afterEach(async () => {
  await gateway?.stop();
  await webhook?.close();
  gateway = undefined;
  webhook = undefined;
});

async function start(overrides: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  gateway = await startTestGateway(overrides);
  nurse = await signInNurseOverHttp(gateway);
  return gateway;
}

async function api(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${gateway!.httpPort}${path}`, {
    method,
    headers: {
      ...nurse.headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes; each test reads the fields it checks
  return { status: response.status, body: (await response.json()) as any };
}

async function register(patientId: string) {
  const { status } = await api('POST', '/api/v1/patients', {
    patientId,
    firstName: 'Fatima',
    lastName: 'Ahmed',
    sex: 'female',
  });
  expect(status).toBe(201);
}

const admit = (patientId: string, body: Record<string, unknown>) =>
  api('POST', `/api/v1/patients/${patientId}/admissions`, body);
const beds = async () => (await api('GET', '/api/v1/beds')).body as unknown as Record<string, string>[];
const bedOf = async (ward: string, bed: string) =>
  (await beds()).find((b) => b.ward === ward && b.bed === bed);

/** The text of a text/event-stream body up to and including `last`. */
async function streamUntil(response: Response, last: string): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(last)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before "${last}": ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

/** The saga's events in log order: its own, and those it caused (correlationId = sagaId). */
function sagaEvents(sagaId: string): ClinicalEvent[] {
  return [...gateway!.services.log.iterate()].filter(
    (event) => event.correlationId === sagaId || (event.data as { sagaId?: string }).sagaId === sagaId,
  );
}

describe('admitting a patient through the saga', () => {
  it('reserves, opens the encounter, tells the care team (webhook and ward board), and the bed shows taken', async () => {
    webhook = await startCareTeamWebhook({ answer: 204 });
    await start({ careTeamWebhookUrl: webhook.url });
    // The ward board's feed: the live stream a nurse's browser reads.
    const stream = new AbortController();
    const board = await fetch(`http://127.0.0.1:${gateway!.httpPort}/api/v1/stream`, {
      headers: nurse.headers,
      signal: stream.signal,
    });
    await register('p-fatima');
    expect(await bedOf('Maternity', 'M4')).toEqual({ ward: 'Maternity', bed: 'M4', state: 'free' });

    const response = await admit('p-fatima', { ward: 'Maternity', bed: 'M4', reason: 'labour' });
    expect(response.status).toBe(201);
    const { sagaId, encounterId } = response.body;
    expect(response.body).toEqual({ sagaId, encounterId, ward: 'Maternity', bed: 'M4' });

    expect(await bedOf('Maternity', 'M4')).toEqual({
      ward: 'Maternity',
      bed: 'M4',
      state: 'occupied',
      patientId: 'p-fatima',
      encounterId,
      sagaId,
    });
    expect(sagaEvents(sagaId).map((event) => event.eventType)).toEqual([
      'admission_saga_started',
      'bed_reserved',
      'encounter_created',
      'care_team_notified',
      'patient_admitted',
      'admission_saga_completed',
    ]);
    // Each step is recorded under the nurse who admitted: her user id from the store, her name, her role.
    for (const event of sagaEvents(sagaId)) expect(event, event.eventType).toMatchObject(nurse.actor);
    expect(nurse.actor).toMatchObject({ userName: 'آمنة عثمان', userRole: 'nurse' });
    const notified = sagaEvents(sagaId).find((event) => event.eventType === 'care_team_notified')!;
    expect(notified.data).toMatchObject({
      encounterId,
      recipientIds: ['care-team:Maternity'],
      channels: ['in_app', 'push'],
    });
    const frames = await streamUntil(board, 'event: admission_saga_completed');
    stream.abort();
    expect(frames).toContain('event: care_team_notified');
    expect(frames).toContain('event: bed_reserved');
    expect(frames).not.toContain('Fatima');

    // The webhook got ids and the bed, and no name.
    expect(webhook.notices).toHaveLength(1);
    expect(JSON.parse(webhook.notices[0]!.body)).toEqual({
      kind: 'admission',
      sagaId,
      patientId: 'p-fatima',
      encounterId,
      facilityId: gateway!.services.facility.facilityId,
      ward: 'Maternity',
      bed: 'M4',
      at: expect.any(String),
    });
    expect(webhook.notices[0]!.body).not.toContain('Fatima');
    expect(webhook.notices[0]!.headers['idempotency-key']).toBe(sagaId);

    const saga = await api('GET', `/api/v1/admissions/${sagaId}`);
    expect(saga.body).toMatchObject({ sagaId, status: 'completed', patientId: 'p-fatima', encounterId });
    const chart = await api('GET', '/api/v1/patients/p-fatima');
    expect(chart.body.patient).toMatchObject({
      status: 'admitted',
      encounterId,
      ward: 'Maternity',
      bed: 'M4',
    });
  });

  it('takes the first free bed of the ward when none is given, and refuses a taken bed without starting', async () => {
    await start();
    for (const patientId of ['p-1', 'p-2', 'p-3']) await register(patientId);
    expect((await admit('p-1', { ward: 'Ward A' })).body.bed).toBe('A1');
    expect((await admit('p-2', { ward: 'Ward A' })).body.bed).toBe('A2');

    const headSeq = gateway!.services.log.head.seq;
    const taken = await admit('p-3', { ward: 'Ward A', bed: 'A2' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'GW_ERR_BED_UNAVAILABLE', details: { state: 'occupied' } });
    expect(gateway!.services.log.head.seq).toBe(headSeq);
  });

  it('gives a bed asked for by two admissions at once to one of them; the other is refused with 409', async () => {
    await start();
    await register('p-1');
    await register('p-2');
    const answers = await Promise.all([
      admit('p-1', { ward: 'Maternity', bed: 'M2' }),
      admit('p-2', { ward: 'Maternity', bed: 'M2' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const winner = answers.find((answer) => answer.status === 201)!.body;
    const loser = answers.find((answer) => answer.status === 409)!.body;
    expect(loser.code).toBe('GW_ERR_BED_UNAVAILABLE');
    expect(await bedOf('Maternity', 'M2')).toMatchObject({ state: 'occupied', sagaId: winner.sagaId });
    // Whether the loser got as far as starting a saga depends on timing; if it did, that saga failed at the reservation.
    const sagas = gateway!.services.projections.all<{ status: string; failure?: { step: string } }>(
      'admissionSagas',
    );
    expect(sagas.filter((saga) => saga.status === 'running' || saga.status === 'compensating')).toEqual([]);
    for (const saga of sagas.filter((candidate) => candidate.status === 'failed'))
      expect(saga.failure?.step).toBe('reserve_bed');
  });

  it('refuses an unknown ward (404 GW_ERR_WARD_UNKNOWN), an unknown bed (404) and a full ward (409)', async () => {
    await start({ wards: 'Isolation:ISO1' });
    await register('p-1');
    await register('p-2');
    expect((await admit('p-1', { ward: 'Surgical' })).body).toMatchObject({
      code: 'GW_ERR_WARD_UNKNOWN',
      statusCode: 404,
    });
    expect((await admit('p-1', { ward: 'Isolation', bed: 'ISO9' })).body).toMatchObject({
      code: 'GW_ERR_BED_UNKNOWN',
      statusCode: 404,
    });
    expect((await admit('p-1', { ward: 'Isolation' })).status).toBe(201);
    expect((await admit('p-2', { ward: 'Isolation' })).body).toMatchObject({
      code: 'GW_ERR_WARD_FULL',
      statusCode: 409,
    });
    expect((await api('GET', '/api/v1/admissions/no-such-saga')).body.code).toBe('GW_ERR_ADMISSION_UNKNOWN');
  });

  it('frees the bed on discharge and moves it on transfer', async () => {
    await start();
    await register('p-1');
    const { encounterId } = (await admit('p-1', { ward: 'Maternity', bed: 'M1' })).body;
    const transfer = await api('POST', '/api/v1/patients/p-1/transfers', { toWard: 'Ward A', toBed: 'A5' });
    expect(transfer.status).toBe(200);
    expect((await bedOf('Maternity', 'M1'))?.state).toBe('free');
    expect(await bedOf('Ward A', 'A5')).toMatchObject({ state: 'occupied', patientId: 'p-1', encounterId });
    await api('POST', '/api/v1/patients/p-1/discharge', { disposition: 'home' });
    expect((await bedOf('Ward A', 'A5'))?.state).toBe('free');
  });
});

describe('a gateway stopped (SIGTERM) while the care team is being notified', () => {
  it('answers 503 and leaves the saga unfinished in the log, to resume at the next start, not rolled back', async () => {
    webhook = await startCareTeamWebhook('never answer');
    await start({ careTeamWebhookUrl: webhook.url, careTeamWebhookTimeoutMs: 60_000 });
    await register('p-fatima');
    const pending = admit('p-fatima', { ward: 'Maternity', bed: 'M4' });
    await waitFor('the care-team notice', () => webhook!.notices.length === 1);
    const { sagaId } = JSON.parse(webhook.notices[0]!.body) as { sagaId: string };
    const [answer] = await Promise.all([pending, gateway!.close()]);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('GW_ERR_LOG_CLOSED');
    const reader = openEventLogReader(gateway!.dataDir);
    try {
      const types = reader
        .all()
        .filter((event: StoredEvent & { correlationId?: string }) => event.correlationId === sagaId)
        .map((event) => event.eventType);
      expect(types).toEqual(['admission_saga_started', 'bed_reserved', 'encounter_created']);
    } finally {
      reader.close();
    }
  });
});

describe('a care-team notification that fails', () => {
  const compensated = [
    'admission_saga_started',
    'bed_reserved',
    'encounter_created',
    'admission_saga_step_failed',
    'encounter_closed',
    'bed_released',
    'admission_saga_failed',
  ];

  async function expectRolledBack(response: Awaited<ReturnType<typeof admit>>, reason: RegExp) {
    expect(response.status).toBe(502);
    expect(response.body).toMatchObject({
      code: 'GW_ERR_ADMISSION_FAILED',
      details: { failedStep: 'notify_care_team', compensations: ['close_encounter', 'release_bed'] },
    });
    expect(response.body.details.reason).toMatch(reason);
    expect(response.body.message).toContain('rolled back');
    const { sagaId } = response.body.details;
    const events = sagaEvents(sagaId);
    expect(events.map((event) => event.eventType)).toEqual(compensated);
    expect(events.find((event) => event.eventType === 'bed_released')?.data).toMatchObject({
      ward: 'Maternity',
      bed: 'M4',
      reason: 'saga_compensation',
    });
    expect(events.find((event) => event.eventType === 'encounter_closed')?.data).toMatchObject({
      reason: 'admission_cancelled',
    });
    expect(await bedOf('Maternity', 'M4')).toEqual({ ward: 'Maternity', bed: 'M4', state: 'free' });
    const chart = await api('GET', '/api/v1/patients/p-fatima');
    expect(chart.body.patient.status).toBe('registered');
    expect(chart.body.encounters).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect((await api('GET', `/api/v1/admissions/${sagaId}`)).body).toMatchObject({
      status: 'failed',
      failure: { step: 'notify_care_team', cause: 'step_failed' },
      compensations: ['close_encounter', 'release_bed'],
    });
  }

  it('answering 500: the admission is rolled back and the bed is free again', async () => {
    webhook = await startCareTeamWebhook({ answer: 500 });
    await start({ careTeamWebhookUrl: webhook.url });
    await register('p-fatima');
    await expectRolledBack(await admit('p-fatima', { ward: 'Maternity', bed: 'M4' }), /answered HTTP 500/);
    expect(webhook.notices).toHaveLength(1);

    // Fixed webhook: the same patient is admitted to the same bed.
    webhook.set({ answer: 200 });
    const again = await admit('p-fatima', { ward: 'Maternity', bed: 'M4' });
    expect(again.status).toBe(201);
    expect((await bedOf('Maternity', 'M4'))?.state).toBe('occupied');
  });

  it('on a closed port: rolled back, the reason names the refused connection', async () => {
    await start({ careTeamWebhookUrl: await closedPortUrl() });
    await register('p-fatima');
    await expectRolledBack(
      await admit('p-fatima', { ward: 'Maternity', bed: 'M4' }),
      /unreachable: ECONNREFUSED/,
    );
  });

  it('that never answers: rolled back after the timeout', async () => {
    webhook = await startCareTeamWebhook('never answer');
    await start({ careTeamWebhookUrl: webhook.url, careTeamWebhookTimeoutMs: 300 });
    await register('p-fatima');
    await expectRolledBack(
      await admit('p-fatima', { ward: 'Maternity', bed: 'M4' }),
      /did not answer within 300 ms/,
    );
  });
});
