import Database from 'better-sqlite3';
import { normalVitals, vitalsPayload } from '../../test/harness/vitalsReadings.ts';
import { connectDevices, type DeviceLedger } from '../crash/bedsideDevices.ts';
import type { NurseLedger } from '../crash/wardNurse.ts';
import { cliNurse } from '../../test/harness/actorHeaders.ts';
import { loginOverHttp } from '../../test/harness/sessions.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The storage block of GET /health (docs/operations.md#when-the-disk-fills), or undefined when the gateway does not answer. */
export async function storageState(httpPort: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${httpPort}/health`, {
      signal: AbortSignal.timeout(5000),
    });
    return ((await response.json()) as { storage?: { state?: string } }).storage?.state;
  } catch {
    return undefined;
  }
}

/** Waits until GET /health shows `state`, polling; returns the last state seen. */
export async function waitForStorageState(httpPort: number, state: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  let seen = await storageState(httpPort);
  while (seen !== state && Date.now() < until) {
    await sleep(250);
    seen = await storageState(httpPort);
  }
  return seen;
}

/** Sum of nilecare_storage_refused_inputs_total over its labels, from GET /metrics. */
export async function refusedInputs(httpPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('nilecare_storage_refused_inputs_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/**
 * One burst of the ward's monitors: each connects, resends what was not
 * PUBACKed, publishes a reading every `intervalMs` for `ms`, and disconnects.
 * A refused reading closes its monitor's connection (no PUBACK), so it is held
 * for the next burst. Returns how many readings were sent and PUBACKed in the
 * burst, and how many of those PUBACKed came from the monitors that never read
 * a critical value (bedsideDevices.ts makes every tenth one read SpO2 84 now
 * and then: a reading that raises an alert is rightly taken on a full disk).
 */
export async function telemetryBurst(
  ledgers: readonly DeviceLedger[],
  mqttPort: number,
  facilityId: string,
  intervalMs: number,
  ms: number,
): Promise<{ sent: number; pubacked: number; quietPubacked: number }> {
  const acknowledged = (quietOnly: boolean) =>
    ledgers.reduce((sum, l, index) => sum + (quietOnly && index % 10 === 0 ? 0 : l.acknowledged.size), 0);
  const [acknowledgedBefore, quietBefore] = [acknowledged(false), acknowledged(true)];
  // Sent: what was held from earlier bursts (resent first) and what is new.
  const seqBefore = ledgers.reduce((sum, l) => sum + l.nextSeq - l.unacknowledged.size, 0);
  const clients = await connectDevices(ledgers, mqttPort, facilityId, intervalMs);
  await sleep(ms);
  await clients.stop();
  return {
    sent: ledgers.reduce((sum, l) => sum + l.nextSeq, 0) - seqBefore,
    pubacked: acknowledged(false) - acknowledgedBefore,
    quietPubacked: acknowledged(true) - quietBefore,
  };
}

/** Bursts until every reading of the ward was PUBACKed, or `timeoutMs` passed; whether all were. */
export async function drainBacklog(
  ledgers: readonly DeviceLedger[],
  mqttPort: number,
  facilityId: string,
  timeoutMs: number,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  const held = () => ledgers.reduce((sum, l) => sum + l.unacknowledged.size, 0);
  while (held() > 0 && Date.now() < until) {
    // A long interval: the burst resends what is held and adds almost nothing new.
    await telemetryBurst(ledgers, mqttPort, facilityId, 60_000, 1000);
  }
  return held() === 0;
}

/** A monitor reads SpO2 84 % (a critical value that raises an alert): whether the gateway PUBACKed it. */
export async function criticalReading(
  ledger: DeviceLedger,
  mqttPort: number,
  facilityId: string,
): Promise<boolean> {
  const seq = ledger.nextSeq++;
  ledger.unacknowledged.set(seq, vitalsPayload(seq, { ...normalVitals(), spo2: { value: 84, unit: '%' } }));
  const clients = await connectDevices([ledger], mqttPort, facilityId, 60_000);
  const until = Date.now() + 5000;
  while (!ledger.acknowledged.has(seq) && Date.now() < until) await sleep(50);
  await clients.stop();
  return ledger.acknowledged.has(seq);
}

/**
 * The nurse at the ward station, once, over the real HTTP API: acknowledges
 * every active alert, registers a patient and admits them. Only a 2xx enters
 * her ledger; returns how many actions she tried and how many were taken.
 */
export async function clinicianRound(
  httpPort: number,
  ledger: NurseLedger,
  ward: string,
): Promise<{ tried: number; taken: number; refusedCodes: string[] }> {
  const base = `http://127.0.0.1:${httpPort}`;
  ledger.session ??= await loginOverHttp(base, cliNurse.username, cliNurse.password).catch(() => undefined);
  const session = ledger.session;
  let tried = 0;
  let taken = 0;
  const refusedCodes: string[] = [];
  if (!session) return { tried: 1, taken: 0, refusedCodes: ['no session'] };
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...session, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const acted = (reply: { status: number; body: Record<string, unknown> }) => {
    tried += 1;
    if (reply.status < 200 || reply.status > 299) {
      refusedCodes.push(String(reply.body.code ?? reply.status));
      return false;
    }
    taken += 1;
    for (const event of (reply.body.events as { eventId: string }[] | undefined) ?? [])
      ledger.eventIds.add(event.eventId);
    return true;
  };
  try {
    const active = await call('GET', '/api/v1/alerts?status=active');
    for (const alert of (active.body.alerts as { alertId: string }[] | undefined) ?? [])
      if (acted(await call('POST', `/api/v1/alerts/${alert.alertId}/acknowledge`, { note: 'seen' })))
        ledger.acknowledgements += 1;
    const n = ledger.nextPatient++;
    const patientId = `p-disk-${n}`;
    const registered = await call('POST', '/api/v1/patients', {
      patientId,
      firstName: 'Disk',
      lastName: `Patient ${n}`,
      sex: n % 2 === 0 ? 'female' : 'male',
    });
    if (!acted(registered)) return { tried, taken, refusedCodes };
    ledger.registrations += 1;
    const admitted = await call('POST', `/api/v1/patients/${patientId}/admissions`, { ward });
    if (acted(admitted)) ledger.admissions.add(admitted.body.sagaId as string);
  } catch {
    tried += 1; // the gateway went away mid-request: an action tried and not taken
    refusedCodes.push('no answer');
  }
  return { tried, taken, refusedCodes };
}

/** The rows of PRAGMA integrity_check on a read-only connection (the gateway is down). */
export function integrityCheck(databasePath: string): string[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}
