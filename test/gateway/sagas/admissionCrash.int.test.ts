import { afterEach, describe, expect, it } from 'vitest';
import { type StoredEvent, openEventLogReader } from '../../harness/eventLogReader.ts';
import { type GatewayProcess, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { loginOverHttp } from '../../harness/sessions.ts';
import { addNurseWithCli, cliNurse } from '../../harness/actorHeaders.ts';
import { startCareTeamWebhook } from '../../harness/careTeamWebhook.ts';

// docs/admission-saga.md: a gateway restarted mid-saga resumes or compensates. A real
// gateway process is killed with SIGKILL between two steps of an admission
// and started again over the same data folder.

let dir: ReturnType<typeof tempDataDir>;
let running: GatewayProcess | undefined;
let webhook: Awaited<ReturnType<typeof startCareTeamWebhook>> | undefined;
/** The nurse made with `nilecare users add` in this test's data folder, and her session with the running gateway. */
let nurseId: string | undefined;
let session: { cookie: string };

afterEach(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  running = undefined;
  await webhook?.close();
  webhook = undefined;
  dir?.remove();
  nurseId = undefined;
});

async function start(env: Record<string, string> = {}): Promise<GatewayProcess> {
  nurseId ??= await addNurseWithCli(dir.path);
  running = await startGatewayProcess(dir.path, { env });
  session = await loginOverHttp(`http://127.0.0.1:${running.httpPort}`, cliNurse.username, cliNurse.password);
  return running;
}

function api(method: 'GET' | 'POST', path: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${running!.httpPort}${path}`, {
    method,
    headers: {
      ...session,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function bedState(ward: string, bed: string) {
  const board = (await (await api('GET', '/api/v1/beds')).json()) as {
    ward: string;
    bed: string;
    state: string;
  }[];
  return board.find((entry) => entry.ward === ward && entry.bed === bed);
}

async function sagaStatus(sagaId: string): Promise<{ status: string } | undefined> {
  const response = await api('GET', `/api/v1/admissions/${sagaId}`);
  return response.status === 200 ? ((await response.json()) as { status: string }) : undefined;
}

type SagaEvent = StoredEvent & {
  correlationId?: string;
  userId?: string;
  userName?: string;
  userRole?: string;
};

/** The saga's events as the log holds them, read from the database file. */
function sagaEvents(sagaId: string): SagaEvent[] {
  const reader = openEventLogReader(dir.path);
  try {
    return reader
      .all()
      .filter((event: SagaEvent) => event.correlationId === sagaId || event.data.sagaId === sagaId);
  } finally {
    reader.close();
  }
}

const sagaEventTypes = (sagaId: string): string[] => sagaEvents(sagaId).map((event) => event.eventType);

/** Admits through a webhook that never answers, and kills the gateway while the saga waits on it. */
async function killMidNotification(): Promise<string> {
  webhook = await startCareTeamWebhook('never answer');
  const env = {
    NILECARE_CARE_TEAM_WEBHOOK_URL: webhook.url,
    NILECARE_CARE_TEAM_WEBHOOK_TIMEOUT_MS: '60000',
  };
  await start(env);
  const registered = await api('POST', '/api/v1/patients', {
    patientId: 'p-fatima',
    firstName: 'Fatima',
    lastName: 'Ahmed',
    sex: 'female',
  });
  expect(registered.status).toBe(201);
  // The answer never comes: the process dies first.
  api('POST', '/api/v1/patients/p-fatima/admissions', { ward: 'Maternity', bed: 'M4' }).catch(
    () => undefined,
  );
  // The webhook has the notice: bed_reserved and encounter_created are on disk, care_team_notified is not.
  await waitFor('the care-team notice', () => webhook!.notices.length === 1, { timeoutMs: 15_000 });
  running!.child.kill('SIGKILL');
  expect((await running!.exited).signal).toBe('SIGKILL');
  const sagaId = (JSON.parse(webhook.notices[0]!.body) as { sagaId: string }).sagaId;
  expect(sagaEventTypes(sagaId)).toEqual(['admission_saga_started', 'bed_reserved', 'encounter_created']);
  // The steps taken before the crash name the nurse who admitted, as `nilecare users add` created her.
  for (const event of sagaEvents(sagaId))
    expect(event, event.eventType).toMatchObject({
      userId: nurseId,
      userName: cliNurse.displayName,
      userRole: 'nurse',
    });
  return sagaId;
}

describe('a gateway killed while the care team is being notified', () => {
  it('resumes the saga at the next start: notifies again, admits, and the bed is occupied', async () => {
    dir = tempDataDir('nilecare-saga-crash-');
    const sagaId = await killMidNotification();

    webhook!.set({ answer: 200 });
    await start({ NILECARE_CARE_TEAM_WEBHOOK_URL: webhook!.url });
    await waitFor(
      'the resumed saga to complete',
      async () => (await sagaStatus(sagaId))?.status === 'completed',
      {
        timeoutMs: 15_000,
      },
    );
    expect(sagaEventTypes(sagaId)).toEqual([
      'admission_saga_started',
      'bed_reserved',
      'encounter_created',
      'care_team_notified',
      'patient_admitted',
      'admission_saga_completed',
    ]);
    expect(await bedState('Maternity', 'M4')).toMatchObject({
      state: 'occupied',
      patientId: 'p-fatima',
      sagaId,
    });
    // Told twice (at least once is the promise), with the same idempotency key each time.
    expect(webhook!.notices.map((notice) => notice.headers['idempotency-key'])).toEqual([sagaId, sagaId]);
  });

  it('compensates at the next start when the webhook now fails: encounter closed, bed free', async () => {
    dir = tempDataDir('nilecare-saga-crash-');
    const sagaId = await killMidNotification();

    webhook!.set({ answer: 503 });
    await start({ NILECARE_CARE_TEAM_WEBHOOK_URL: webhook!.url });
    await waitFor('the resumed saga to fail', async () => (await sagaStatus(sagaId))?.status === 'failed', {
      timeoutMs: 15_000,
    });
    expect(sagaEventTypes(sagaId)).toEqual([
      'admission_saga_started',
      'bed_reserved',
      'encounter_created',
      'admission_saga_step_failed',
      'encounter_closed',
      'bed_released',
      'admission_saga_failed',
    ]);
    expect(await bedState('Maternity', 'M4')).toEqual({ ward: 'Maternity', bed: 'M4', state: 'free' });
  });
});

describe('a gateway that stopped after bed_reserved, before the encounter', () => {
  /**
   * The log exactly as a crash there leaves it: each step is its own durable
   * transaction, so the saga's first two events and nothing after them,
   * written through the real recorder into a real data folder.
   */
  function leaveSagaAfterReservation(expiresAt: string) {
    const folder = openRecordedDataDir(dir.path, new Date().toISOString());
    const now = new Date().toISOString();
    const saga = { patientId: 'p-omer', correlationId: 'saga-crashed' };
    return (async () => {
      await folder.record(
        'patient_registered',
        { firstName: 'Omer', lastName: 'Hassan', sex: 'male', registeredAt: now },
        { patientId: 'p-omer' },
      );
      await folder.record(
        'admission_saga_started',
        { sagaId: 'saga-crashed', ward: 'Ward A', bed: 'A7', encounterClass: 'inpatient', startedAt: now },
        saga,
      );
      await folder.record(
        'bed_reserved',
        { sagaId: 'saga-crashed', ward: 'Ward A', bed: 'A7', reservedAt: now, expiresAt },
        saga,
      );
      folder.close();
    })();
  }

  it('within the hold: resumes with the encounter and completes the admission', async () => {
    dir = tempDataDir('nilecare-saga-crash-');
    await leaveSagaAfterReservation(new Date(Date.now() + 600_000).toISOString());
    await start();
    await waitFor(
      'the resumed saga',
      async () => (await sagaStatus('saga-crashed'))?.status === 'completed',
      {
        timeoutMs: 15_000,
      },
    );
    expect(sagaEventTypes('saga-crashed').slice(2)).toEqual([
      'encounter_created',
      'care_team_notified',
      'patient_admitted',
      'admission_saga_completed',
    ]);
    expect(await bedState('Ward A', 'A7')).toMatchObject({ state: 'occupied', patientId: 'p-omer' });
  });

  it('past the hold: compensates, releasing the bed as expired, and the patient is not admitted', async () => {
    dir = tempDataDir('nilecare-saga-crash-');
    await leaveSagaAfterReservation(new Date(Date.now() - 60_000).toISOString());
    await start();
    await waitFor('the saga to fail', async () => (await sagaStatus('saga-crashed'))?.status === 'failed', {
      timeoutMs: 15_000,
    });
    expect(sagaEventTypes('saga-crashed').slice(2)).toEqual([
      'admission_saga_step_failed',
      'bed_released',
      'admission_saga_failed',
    ]);
    const released = openEventLogReader(dir.path);
    try {
      expect(released.ofType('bed_released')[0]?.data).toMatchObject({
        bed: 'A7',
        reason: 'reservation_expired',
      });
    } finally {
      released.close();
    }
    expect(await bedState('Ward A', 'A7')).toEqual({ ward: 'Ward A', bed: 'A7', state: 'free' });
    const patient = (await (await api('GET', '/api/v1/patients/p-omer')).json()) as {
      patient: { status: string };
    };
    expect(patient.patient.status).toBe('registered');
  });
});
