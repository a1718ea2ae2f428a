import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { fakeGateway, uniqueGatewayId } from '../harness/fakeGateway.ts';
import { startTestHub, type TestHub, violations } from '../harness/hubUnderTest.ts';
import {
  buildInjectedGateway,
  errorOf,
  type InjectedGateway,
  newPatient,
} from '../harness/injectedGateway.ts';
import { waitFor } from '../harness/waitFor.ts';

// Attack: text PostgreSQL cannot store (a NUL, half a surrogate pair) in a
// patient's name. The gateway used to accept it with 201 and the hub's
// services then gave up on the record, so the patient vanished from FHIR and
// the audit trail while the gateway's sync said all was acknowledged.

const unstorable = {
  NUL: 'Fat\u0000ima',
  'a lone high surrogate': 'Fatima\uD83D',
  'a lone low surrogate': '\uDE00Fatima',
  'an escape sequence': '\u001B[2JFatima',
};

describe('the gateway, given a patient whose name holds text no store can keep', () => {
  let gateway: InjectedGateway;
  beforeAll(async () => {
    gateway = await buildInjectedGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  for (const [what, firstName] of Object.entries(unstorable)) {
    it(`refuses ${what} with 400 GW_ERR_TEXT_UNSTORABLE, naming the field, and appends nothing`, async () => {
      const patientId = `patient-text-${Object.keys(unstorable).indexOf(what)}`;
      const response = await gateway.app.inject({
        method: 'POST',
        url: '/api/v1/patients',
        headers: gateway.nurseHeaders,
        payload: { ...newPatient(patientId), firstName },
      });
      expect(response.statusCode).toBe(400);
      const error = errorOf(response);
      expect(error.code).toBe('GW_ERR_TEXT_UNSTORABLE');
      expect(error.details?.issues).toEqual([
        expect.objectContaining({ field: '/data/firstName', rule: 'storable-text' }),
      ]);
      expect(error.details?.quarantineId).toEqual(expect.any(Number));
      expect(gateway.services.projections.get('patients', patientId)).toBeUndefined();
    });
  }

  it('still takes a name with Arabic letters and a note with line breaks and tabs', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: gateway.nurseHeaders,
      payload: { ...newPatient('patient-text-ok'), firstName: 'آمنة', locality: 'Omdurman\tBlock 4' },
    });
    expect(response.statusCode).toBe(201);
  });
});

describe('a hub service fed such text straight on Kafka (a hostile or old gateway)', () => {
  let t: TestHub;
  const gateway = fakeGateway(uniqueGatewayId('gw-text'));
  const patientId = `patient-${Math.random().toString(36).slice(2, 8)}`;
  let bad: ClinicalEvent[];
  let after: ClinicalEvent;

  beforeAll(async () => {
    t = await startTestHub({ services: ['ingest-guard', 'audit', 'fhir'] });
    bad = Object.values(unstorable).map((firstName) =>
      gateway.next({
        eventType: 'patient_registered',
        patientId,
        data: { firstName, lastName: 'Osman', sex: 'female', registeredAt: new Date().toISOString() },
      }),
    );
    // Same patient, so the same key and partition: it must not wait behind the refused ones.
    after = gateway.vitals(patientId, 72);
    await t.produce([...bad, after]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('dead-letters each with the field and the rule, keeps its bytes, raises a violation, and moves on', async () => {
    await waitFor(
      'the next record of the partition audited',
      async () =>
        (await t.query('SELECT 1 FROM audit_log WHERE event_id = $1', [after.eventId])).length === 1,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const letters = await waitFor('a dead letter for each', () => {
      const found = bad.map((event) =>
        t.deadLetters.find((letter) => letter.headers.ce_id === event.eventId),
      );
      return found.every((letter) => letter !== undefined) && found;
    });
    for (const letter of letters) {
      expect(letter?.headers['x-nilecare-reason-code']).toBe('HUB_ERR_EVENT_INVALID');
      expect(letter?.headers['x-nilecare-reason']).toContain('/data/firstName');
      expect(letter?.headers['x-nilecare-reason']).toContain('storable-text');
    }
    // The guard keeps each record's bytes as they came, in its place in the chain.
    const stored = await t.query<{ event_id: string; status: string; value: Buffer }>(
      'SELECT event_id, status, value FROM gateway_events WHERE gateway_id = $1 ORDER BY seq',
      [gateway.gatewayId],
    );
    expect(stored.map((row) => row.status)).toEqual([...bad.map(() => 'rejected'), 'accepted']);
    for (const [index, event] of bad.entries())
      expect((JSON.parse(stored[index]!.value.toString('utf8')) as ClinicalEvent).data.firstName).toBe(
        event.data.firstName,
      );
    await waitFor('a violation for each', () =>
      bad.every((event) => violations(t.compliance).some((v) => v.data.offendingEventId === event.eventId)),
    );
  }, 60_000);
});
