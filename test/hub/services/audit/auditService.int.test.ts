import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../../kernel/events/envelope.ts';
import { testKeyring } from '../../../../kernel/phi/phiKeyring.ts';
import { defaultComplianceRules } from '../../../../hub/services/audit/complianceRules.ts';
import { tempDataDir } from '../../../harness/tempDataDir.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { exampleDraft } from '../../../harness/exampleDrafts.ts';
import { fhirSchemaErrors } from '../../../harness/fhirSchema.ts';
import { fakeGateway, uniqueGatewayId } from '../../../harness/fakeGateway.ts';
import { startTestHub, type TestHub, violations } from '../../../harness/hubUnderTest.ts';
import { everyEventType } from '../../../harness/mixedStream.ts';

/** A JSON body read by path in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are walked freely in assertions
type Json = any;
const token = 'audit-token-0123456789abcdef';

/**
 * The audit and compliance service on real Kafka and PostgreSQL, beside the
 * ingest guard: every guarded event once in the append-only audit log with
 * its hash verified, national-ID reads as PHI access log and AuditEvent,
 * compliance rules, the query API, and redelivery.
 */
describe('the audit service', () => {
  let t: TestHub;
  const gateway = fakeGateway(uniqueGatewayId('gw-audit'));
  const patientId = `patient-${Math.random().toString(36).slice(2, 8)}`;
  let stream: ClinicalEvent[];
  let tampered: ClinicalEvent;
  const reads: ClinicalEvent[] = [];
  const dir = tempDataDir('nilecare-audit-');

  const read = (userId: string, accessedAt: string, patient = patientId) => {
    const draft = exampleDraft('sudan_national_id_accessed');
    const { eventId: _id, ...fields } = draft;
    return gateway.next({
      ...fields,
      patientId: patient,
      userId,
      data: { ...draft.data, accessedAt },
    });
  };
  const audited = async (ids: readonly string[]) =>
    (
      await t.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log WHERE event_id = ANY($1::uuid[])',
        [ids],
      )
    )[0]?.n ?? 0;
  const api = async (path: string, auth = true) => {
    const response = await fetch(`http://127.0.0.1:${t.hub.httpPort}/api/v1/audit${path}`, {
      headers: auth ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Json };
  };

  beforeAll(async () => {
    const keyFile = join(dir.path, 'hub-phi-keys.json');
    const key = testKeyring('ktest').keys.get('ktest')!.toString('base64');
    writeFileSync(
      keyFile,
      JSON.stringify({ version: 1, gateways: { [gateway.gatewayId]: [{ id: 'ktest', key }] } }),
    );
    // The guard, the audit service and the FHIR service in one hub, as `nilecare hub start` runs them.
    t = await startTestHub({
      services: ['ingest-guard', 'audit', 'fhir'],
      phiKeysFile: keyFile,
      apiToken: token,
      compliance: { ...defaultComplianceRules, revealsPerHour: 3 },
    });
    stream = everyEventType(gateway, patientId, testKeyring('ktest'));
    // Four reads by one user within the hour (Tuesday, 09:10 to 09:40 in Khartoum), one at night by another.
    for (const minute of [10, 20, 30, 40])
      reads.push(read('user-burst', `2024-10-08T07:${minute}:00Z`, `${patientId}-${minute}`));
    reads.push(read('user-night', '2024-10-08T21:30:00Z'));
    const [victim] = [gateway.vitals(patientId, 90)];
    tampered = victim!;
    const after = gateway.vitals(patientId, 91);
    await t.produce([...stream, ...reads]);
    await t.produce([tampered], (value) => value.replace('"value":90', '"value":190'));
    await t.produce([after]);
    stream.push(...reads, after);
    await waitFor(
      'every event audited',
      async () => (await audited(stream.map((e) => e.eventId))) === stream.length,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    dir.remove();
  });

  it('appends every guarded event once, with its hash recomputed and verified, and never a refused one', async () => {
    const rows = await t.query<{ event_id: string; hash_verified: boolean; origin: string }>(
      'SELECT event_id, hash_verified, origin FROM audit_log WHERE event_id = ANY($1::uuid[])',
      [stream.map((event) => event.eventId)],
    );
    expect(rows).toHaveLength(stream.length);
    expect(rows.every((row) => row.hash_verified === true && row.origin === 'gateway')).toBe(true);
    expect(await audited([tampered.eventId])).toBe(0);
    // The guard's own violation about the tampered event is audited as a hub event, with no chain.
    await waitFor(
      'the hub event in the audit log',
      async () => {
        const hub = await t.query<{ hash_verified: boolean | null }>(
          `SELECT hash_verified FROM audit_log WHERE origin = 'hub' AND event_type = 'compliance_violation_detected'`,
        );
        return hub.length > 0 && hub.every((row) => row.hash_verified === null);
      },
      { timeoutMs: 20_000 },
    );
  });

  it('runs beside the FHIR service on the same stream: both process every guarded event once', async () => {
    const ids = stream.map((event) => event.eventId);
    await waitFor(
      'the FHIR service to finish the stream',
      async () =>
        (
          await t.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM hub_processed_events WHERE service = 'fhir' AND event_id = ANY($1::uuid[])`,
            [ids],
          )
        )[0]?.n === ids.length,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const audit = await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hub_processed_events WHERE service = 'audit' AND event_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(audit[0]?.n).toBe(ids.length);
    const response = await fetch(
      `http://127.0.0.1:${t.hub.httpPort}/fhir/AuditEvent?patient=${patientId}-10`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const bundle = (await response.json()) as Json;
    expect(bundle.total).toBe(1);
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    const patient = (await (
      await fetch(`http://127.0.0.1:${t.hub.httpPort}/fhir/Patient/${patientId}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as Json;
    expect(fhirSchemaErrors(patient)).toEqual([]);
  }, 90_000);

  it('refuses to change or delete what it holds', async () => {
    await expect(t.query(`UPDATE audit_log SET event_type = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(t.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    await expect(t.query('DELETE FROM phi_access_log')).rejects.toThrow(/append-only/);
  });

  it('logs each national-ID read as PHI access and as a valid FHIR AuditEvent', async () => {
    const accesses = await t.query<{ event_id: string; user_id: string }>(
      `SELECT event_id, user_id FROM phi_access_log WHERE user_role IS DISTINCT FROM 'api-client'`,
    );
    // The FHIR API's read of the Patient above revealed its national ID: logged too, naming the API client.
    expect(
      await t.query(
        `SELECT patient_id, user_id, access_reason FROM phi_access_log WHERE user_role = 'api-client'`,
      ),
    ).toEqual([{ patient_id: patientId, user_id: 'hub-api-token', access_reason: 'fhir_read' }]);
    const expected = [...reads, stream.find((event) => event.eventType === 'sudan_national_id_accessed')!];
    expect(accesses.map((row) => row.event_id).sort()).toEqual(expected.map((event) => event.eventId).sort());
    const resources = await t.query<{ resource: Json }>(
      `SELECT resource FROM fhir_resources WHERE resource_type = 'AuditEvent'`,
    );
    expect(resources).toHaveLength(expected.length);
    for (const { resource } of resources) expect(fhirSchemaErrors(resource)).toEqual([]);
    const burst = resources.find((row) => row.resource.id === reads[0]!.eventId)!.resource;
    expect(burst.agent[0].who.identifier.value).toBe('user-burst');
    expect(burst.entity[0].what.reference).toBe(`Patient/${patientId}-10`);
  });

  it('raises one violation for a burst of reads and one for a read at night', async () => {
    const found = await waitFor(
      'two suspicious_phi_access violations',
      () => {
        const list = violations(t.compliance).filter(
          (v) =>
            v.eventType === 'compliance_violation_detected' &&
            v.data.violationType === 'suspicious_phi_access',
        );
        return list.length >= 2 && list;
      },
      { timeoutMs: 20_000 },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}: ${JSON.stringify(violations(t.compliance).map((v) => [v.source, v.data]))}`,
      );
    });
    expect(found).toHaveLength(2);
    // Whichever of the four reads completed the burst (they arrive in any order) is named.
    const burst = found.find((v) => reads.slice(0, 4).some((r) => r.eventId === v.data.offendingEventId));
    expect(burst).toMatchObject({ source: 'audit-service', data: { severity: 'high' } });
    const night = found.find((v) => v.data.offendingEventId === reads[4]!.eventId);
    expect(night).toMatchObject({ source: 'audit-service', data: { severity: 'low' } });
    expect(JSON.stringify(found)).not.toContain('ABC123456789');
  });

  it('answers queries by patient, user, correlationId and time, in pages', async () => {
    // The FHIR service's announcements of this patient's resources reach the audit log through
    // the outbox, after the stream: wait for all of them, so the trail no longer grows while paged.
    await waitFor(
      "every announcement of the patient's FHIR resources audited",
      async () => {
        const [row] = await t.query<{ versions: number; audited: number }>(
          `SELECT (SELECT count(*)::int FROM fhir_resource_history
                   WHERE source_event_id::text = ANY($1::text[]) AND resource_type <> 'AuditEvent') AS versions,
                  (SELECT count(*)::int FROM audit_log WHERE causation_id = ANY($1::text[])
                   AND event_type IN ('fhir_resource_created', 'fhir_resource_updated')) AS audited`,
          [stream.map((event) => event.eventId)],
        );
        return row !== undefined && row.versions > 0 && row.audited === row.versions;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const byPatient = await api(`?patientId=${patientId}&limit=1000`);
    expect(byPatient.status, JSON.stringify(byPatient.body)).toBe(200);
    expect(byPatient.body.entries.length).toBeGreaterThan(30);
    expect(byPatient.body.entries.every((entry: Json) => entry.patientId === patientId)).toBe(true);
    const byUser = await api('/phi-access?userId=user-burst');
    expect(byUser.body.entries).toHaveLength(4);
    const withCorrelation = stream.find((event) => event.correlationId);
    if (withCorrelation) {
      const byCorrelation = await api(`?correlationId=${encodeURIComponent(withCorrelation.correlationId!)}`);
      expect(byCorrelation.body.entries.map((entry: Json) => entry.eventId)).toContain(
        withCorrelation.eventId,
      );
    }
    const night = await api('/phi-access?from=2024-10-08T21:00:00Z&to=2024-10-08T22:00:00Z');
    expect(night.body.entries.map((entry: Json) => entry.eventId)).toEqual([reads[4]!.eventId]);
    const pages: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page += 1) {
      const result = await api(`?patientId=${patientId}&limit=10${cursor}`);
      pages.push(...result.body.entries.map((entry: Json) => entry.eventId));
      if (!result.body.next) break;
      cursor = `&cursor=${result.body.next}`;
    }
    expect(pages).toEqual(byPatient.body.entries.map((entry: Json) => entry.eventId));
    expect((await api('?from=yesterday')).status).toBe(400);
    expect((await api('', false)).status).toBe(401);
  });

  it('is not changed by redelivered events', async () => {
    // Gateway events only: the hub's own events (violations raised earlier) may still be arriving.
    const count = async () =>
      (await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE origin = 'gateway'`))[0]
        ?.n;
    const accesses = async () =>
      (await t.query<{ n: number }>('SELECT count(*)::int AS n FROM phi_access_log'))[0]?.n;
    const accessesBefore = await accesses();
    const before = await count();
    const raised = () =>
      violations(t.compliance).filter((v) => v.eventType === 'compliance_violation_detected').length;
    const violationsBefore = raised();
    await t.produce(reads);
    await waitFor(
      'the duplicates',
      async () =>
        (
          await t.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM gateway_events WHERE event_id = ANY($1::uuid[])`,
            [reads.map((event) => event.eventId)],
          )
        )[0]?.n === reads.length && (await t.scrape()).includes('outcome="duplicate"'),
      { timeoutMs: 20_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await count()).toBe(before);
    expect(await accesses()).toBe(accessesBefore);
    expect(raised()).toBe(violationsBefore);
  });
});
