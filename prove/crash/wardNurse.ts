import { cliNurse } from '../../test/harness/actorHeaders.ts';
import { loginOverHttp } from '../../test/harness/sessions.ts';

/** What the nurse API answered with a 2xx: the eventIds it appended, and the admissions it completed. */
export interface NurseLedger {
  eventIds: Set<string>;
  admissions: Set<string>;
  acknowledgements: number;
  registrations: number;
  discharges: number;
  nextPatient: number;
  /** Her session cookie: sessions are kept in the database, so one outlives the kills (signing in costs a scrypt). */
  session: { cookie: string } | undefined;
}

export const newNurseLedger = (): NurseLedger => ({
  eventIds: new Set(),
  admissions: new Set(),
  acknowledgements: 0,
  registrations: 0,
  discharges: 0,
  nextPatient: 1,
  session: undefined,
});

/** The ward the campaign's gateway is configured with (NILECARE_WARDS): the saga picks the first free bed. */
export const proveWards = 'Prove:B1-B40';

interface Appended {
  events?: { eventId: string }[];
}

/**
 * The nurse at the ward station, over the real HTTP API: acknowledges every
 * active alert, registers a patient, admits them to the first free bed and
 * discharges a patient when three beds are taken (as the bed board shows them,
 * so an admission whose answer a kill cut off is discharged too), again and again, until `running()` is false or the gateway goes away. Only
 * a 2xx answer enters the ledger; a request the kill cut off did not happen
 * as far as she knows.
 */
export async function runNurse(httpPort: number, ledger: NurseLedger, running: () => boolean) {
  const base = `http://127.0.0.1:${httpPort}`;
  ledger.session ??= await loginOverHttp(base, cliNurse.username, cliNurse.password).catch(() => undefined);
  const session = ledger.session;
  if (!session) return;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...session, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    // A session the kill took before it was committed: sign in again next round.
    if (response.status === 401) ledger.session = undefined;
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const remember = (reply: unknown) => {
    for (const event of (reply as Appended).events ?? []) ledger.eventIds.add(event.eventId);
  };
  try {
    while (running()) {
      const active = await call('GET', '/api/v1/alerts?status=active');
      for (const alert of (active.body as { alerts?: { alertId: string }[] }).alerts ?? []) {
        const acknowledged = await call('POST', `/api/v1/alerts/${alert.alertId}/acknowledge`, {
          note: 'seen at the bedside',
        });
        if (acknowledged.status === 200) {
          remember(acknowledged.body);
          ledger.acknowledgements += 1;
        }
      }
      const n = ledger.nextPatient++;
      const patientId = `p-prove-${n}`;
      const registered = await call('POST', '/api/v1/patients', {
        patientId,
        firstName: 'Prove',
        lastName: `Patient ${n}`,
        sex: n % 2 === 0 ? 'female' : 'male',
      });
      if (registered.status !== 201) continue;
      remember(registered.body);
      ledger.registrations += 1;
      const admitted = await call('POST', `/api/v1/patients/${patientId}/admissions`, { ward: 'Prove' });
      if (admitted.status === 201) ledger.admissions.add((admitted.body as { sagaId: string }).sagaId);
      const board = (await call('GET', '/api/v1/beds')).body as { state: string; patientId?: string }[];
      const inBed = board.flatMap((bed) =>
        bed.state === 'occupied' && bed.patientId ? [bed.patientId] : [],
      );
      if (inBed.length < 3) continue;
      const discharged = await call('POST', `/api/v1/patients/${inBed[0]}/discharge`, {
        disposition: 'home',
      });
      if (discharged.status === 200) {
        remember(discharged.body);
        ledger.discharges += 1;
      }
    }
  } catch {
    // The gateway went away mid-request: what it did not answer is not in the ledger.
  }
}
