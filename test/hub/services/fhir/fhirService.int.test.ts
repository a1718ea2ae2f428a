import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../../kernel/events/envelope.ts';
import { uuidV7 } from '../../../../kernel/events/ids.ts';
import { decryptField, encryptField } from '../../../../kernel/phi/fieldCipher.ts';
import { testKeyring } from '../../../../kernel/phi/phiKeyring.ts';
import { type Hub, startHub } from '../../../../hub/hubProcess.ts';
import type { HubOptions } from '../../../../hub/hubOptions.ts';
import { deadLetterHeaders } from '../../../../hub/services/deadLetterRecord.ts';
import { metricValue } from '../../../harness/prometheusText.ts';
import { tempDataDir } from '../../../harness/tempDataDir.ts';
import { exampleDraft } from '../../../harness/exampleDrafts.ts';
import { waitFor } from '../../../harness/waitFor.ts';
import { fakeGateway, uniqueGatewayId } from '../../../harness/fakeGateway.ts';
import { readTopic, startTestHub, type TestHub } from '../../../harness/hubUnderTest.ts';
import { everyEventType, nationalIdOfTestPatient } from '../../../harness/mixedStream.ts';
import { fhirSchemaErrors } from '../../../harness/fhirSchema.ts';
import { fhirValidator, issueLine, validatorStartTimeoutMs } from '../../../harness/fhirValidator.ts';

/** A JSON body read by path in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are walked freely in assertions
type Json = any;
const token = 'test-token-0123456789abcdef';

/**
 * The FHIR service on real Kafka and PostgreSQL, beside an ingest guard: a
 * stream of every event type, a poison event, the REST API, redelivery,
 * restart with offsets reset, and two instances sharing the partitions.
 */
describe('the FHIR service', () => {
  let t: TestHub;
  const dir = tempDataDir('nilecare-fhir-');
  const keyring = testKeyring('ktest');
  const gateway = fakeGateway(uniqueGatewayId('gw-fhir'));
  const patientId = `patient-${Math.random().toString(36).slice(2, 8)}`;
  const pagingPatient = `${patientId}-paging`;
  const patientWithoutNationalId = `${patientId}-no-ni`;
  const apiClient = 'emr-integration';
  let stream: ClinicalEvent[];
  const fhirHubs: Hub[] = [];
  let fhir: Hub;

  const startFhir = async (overrides: Partial<HubOptions> = {}) => {
    const hub = await startHub(
      { ...t.options, services: ['fhir'], httpPort: 0, ...overrides },
      { clock: () => new Date(), newId: uuidV7, logger: pino({ level: 'silent' }) },
    );
    fhirHubs.push(hub);
    return hub;
  };
  const processed = async (ids: readonly string[]) =>
    (
      await t.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM hub_processed_events WHERE service = 'fhir' AND event_id = ANY($1::uuid[])`,
        [ids],
      )
    )[0]?.n ?? 0;
  const api = async (hub: Hub, path: string, auth = true) => {
    const response = await fetch(`http://127.0.0.1:${hub.httpPort}/fhir${path}`, {
      headers: auth ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as Json,
    };
  };
  const snapshot = async () =>
    t.query<{ resource_type: string; id: string; version_id: number; resource: unknown }>(
      'SELECT resource_type, id, version_id, resource FROM fhir_resources ORDER BY resource_type, id',
    );

  beforeAll(async () => {
    const keyFile = join(dir.path, 'hub-phi-keys.json');
    writeFileSync(
      keyFile,
      JSON.stringify({
        version: 1,
        gateways: {
          [gateway.gatewayId]: [{ id: 'ktest', key: keyring.keys.get('ktest')!.toString('base64') }],
        },
      }),
    );
    t = await startTestHub({ services: ['ingest-guard'], apiToken: token, phiKeysFile: keyFile, apiClient });
    fhir = await startFhir();
    stream = [
      ...everyEventType(gateway, patientId, keyring),
      ...Array.from({ length: 25 }, (_, index) => gateway.vitals(pagingPatient, 60 + index)),
      gateway.next({
        eventType: 'patient_registered',
        patientId: patientWithoutNationalId,
        source: 'gateway-service',
        data: { firstName: 'Ahmed', lastName: 'Nour', sex: 'male', registeredAt: new Date().toISOString() },
      }),
    ];
    await t.produce(stream);
    await waitFor(
      'the FHIR service to process the stream',
      async () => (await processed(stream.map((e) => e.eventId))) === stream.length,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
  }, 120_000);
  afterAll(async () => {
    for (const hub of fhirHubs) await hub.close();
    await t?.close();
    dir.remove();
  });

  it('stores only resources that validate against the official FHIR R4 schema, with versions', async () => {
    const rows = await snapshot();
    const types = new Set(rows.map((row) => row.resource_type));
    for (const type of [
      'Patient',
      'Encounter',
      'Observation',
      'Condition',
      'MedicationRequest',
      'MedicationAdministration',
      'DiagnosticReport',
      'Device',
      'Flag',
      'DetectedIssue',
    ])
      expect(types, type).toContain(type);
    const problems = rows.flatMap((row) => fhirSchemaErrors(row.resource));
    expect(problems).toEqual([]);
    for (const row of rows) {
      const meta = (row.resource as { meta: { versionId: string; lastUpdated: string } }).meta;
      expect(meta.versionId).toBe(String(row.version_id));
      expect(Number.isNaN(Date.parse(meta.lastUpdated))).toBe(false);
    }
  });

  it(
    "serves only resources that HAPI FHIR's reference validator passes: every type stored, a search Bundle, the CapabilityStatement",
    async () => {
      const validator = await fhirValidator();
      const served = [
        ...(await snapshot()).map((row) => row.resource as Json),
        (await api(fhir, `/Observation?patient=${patientId}`)).body,
        (await api(fhir, `/Encounter?patient=${patientId}`)).body,
        (await api(fhir, '/metadata', false)).body,
      ];
      const problems: string[] = [];
      const types = new Set<string>();
      let external = 0;
      for (const resource of served) {
        types.add(resource.resourceType);
        const verdict = await validator.validate(resource);
        external += verdict.externalTerminology.length;
        problems.push(
          ...verdict.errors.map((issue) => `${resource.resourceType}/${resource.id}: ${issueLine(issue)}`),
        );
      }
      expect(problems).toEqual([]);
      for (const type of [
        'Patient',
        'Encounter',
        'Observation',
        'Condition',
        'MedicationRequest',
        'MedicationAdministration',
        'DiagnosticReport',
        'ServiceRequest',
        'Device',
        'Flag',
        'DetectedIssue',
        'Bundle',
        'CapabilityStatement',
      ])
        expect(types, type).toContain(type);
      // LOINC, SNOMED CT, ICD-10 and ATC codes are counted, not checked: no terminology server offline.
      expect(external).toBeGreaterThan(0);
    },
    validatorStartTimeoutMs + 300_000,
  );

  it('decrypts the national ID into the Patient identifier, and announces resources on clinical-events', async () => {
    const patient = await api(fhir, `/Patient/${patientId}`);
    expect(patient.status).toBe(200);
    expect(patient.type).toContain('application/fhir+json');
    expect(patient.body.identifier).toContainEqual(
      expect.objectContaining({
        system: 'urn:nilecare:sid:sudan-national-id',
        value: nationalIdOfTestPatient,
      }),
    );
    // patient_updated (phone, state) made version 2, and kept the identifier.
    expect(patient.body.meta.versionId).toBe('2');
    const announcements = await readTopic(t.kafka, t.topics.of('clinical-events'));
    try {
      const created = await waitFor(
        'fhir_resource_created for the Patient',
        () =>
          announcements.records.find(
            (record) =>
              record.headers.ce_type === 'fhir_resource_created' &&
              record.value?.includes(`"resourceId":"${patientId}"`),
          ),
        { timeoutMs: 20_000 },
      );
      expect(created.headers.ce_source).toBe('nilecare:hub:fhir');
      expect(created.value).not.toContain(nationalIdOfTestPatient);
      expect(announcements.records.some((record) => record.headers.ce_type === 'fhir_resource_updated')).toBe(
        true,
      );
    } finally {
      await announcements.close();
    }
  });

  it('searches Patient by identifier and name, Observation by patient, code, date and category, Encounter by patient and status', async () => {
    const byId = await api(
      fhir,
      `/Patient?identifier=urn:nilecare:sid:sudan-national-id|${nationalIdOfTestPatient}`,
    );
    expect(byId.body.total).toBeGreaterThanOrEqual(1);
    expect(byId.body.entry.map((entry: Json) => entry.resource.id)).toContain(patientId);
    expect(
      (await api(fhir, `/Patient?identifier=${nationalIdOfTestPatient}`)).body.total,
    ).toBeGreaterThanOrEqual(1);
    expect((await api(fhir, '/Patient?identifier=NOT-AN-ID')).body.total).toBe(0);
    const byName = await api(fhir, `/Patient?name=ahm&_id=${patientId}`);
    expect(byName.body.total).toBe(1);
    expect((await api(fhir, `/Patient?name=zzz&_id=${patientId}`)).body.total).toBe(0);

    const hr = await api(
      fhir,
      `/Observation?patient=Patient/${pagingPatient}&code=http://loinc.org|8867-4&category=vital-signs`,
    );
    expect(hr.body.total).toBe(25);
    const today = new Date().toISOString().slice(0, 10);
    expect((await api(fhir, `/Observation?patient=${pagingPatient}&date=${today}`)).body.total).toBe(25);
    expect((await api(fhir, `/Observation?patient=${pagingPatient}&date=lt2000-01-01`)).body.total).toBe(0);
    const labs = await api(fhir, `/Observation?patient=${patientId}&category=laboratory`);
    expect(labs.body.total).toBe(1);

    const encounters = await api(fhir, `/Encounter?patient=${patientId}&status=finished`);
    expect(encounters.body.total).toBe(1);
    expect((await api(fhir, `/Encounter?patient=${patientId}&status=in-progress`)).body.total).toBe(0);
    for (const bundle of [byId, byName, hr, labs, encounters])
      expect(fhirSchemaErrors(bundle.body)).toEqual([]);
  });

  it('keeps the national ID sealed at rest, in every version, and the phone out', async () => {
    const stored = await t.query<{ resource: Json }>(
      `SELECT resource FROM fhir_resources WHERE resource_type = 'Patient' AND id = $1
       UNION ALL SELECT resource FROM fhir_resource_history WHERE resource_type = 'Patient' AND id = $1`,
      [patientId],
    );
    expect(stored).toHaveLength(3); // current + versions 1 and 2
    const phone = (exampleDraft('patient_updated').data.changes as { phone: string }).phone;
    for (const { resource } of stored) {
      const text = JSON.stringify(resource);
      expect(text).not.toContain(nationalIdOfTestPatient);
      expect(text).not.toContain(phone);
      expect(resource.telecom).toBeUndefined();
      const nationalId = resource.identifier.find(
        (identifier: Json) => identifier.system === 'urn:nilecare:sid:sudan-national-id',
      );
      expect(nationalId.value).toMatch(/^enc:v1:ktest:/);
      expect(decryptField(nationalId.value, 'sudanNationalId', keyring)).toBe(nationalIdOfTestPatient);
    }
    const anywhere = await t.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM fhir_resources WHERE resource::text LIKE $1)::int
            + (SELECT count(*) FROM fhir_resource_history WHERE resource::text LIKE $1)::int
            + (SELECT count(*) FROM fhir_search_index WHERE value LIKE $1)::int AS n`,
      [`%${nationalIdOfTestPatient}%`],
    );
    expect(anywhere[0]?.n).toBe(0);
  });

  it('logs each API answer that reveals a national ID in phi_access_log, one row per patient, naming the client', async () => {
    const accesses = async (patient: string) =>
      t.query<{
        user_id: string;
        user_role: string;
        access_reason: string;
        ip_address: string;
        facility_id: string;
      }>(
        'SELECT user_id, user_role, access_reason, ip_address, facility_id FROM phi_access_log WHERE patient_id = $1 ORDER BY id',
        [patient],
      );
    const before = (await accesses(patientId)).length;
    const read = await api(fhir, `/Patient/${patientId}`);
    expect(read.body.identifier).toContainEqual(
      expect.objectContaining({
        system: 'urn:nilecare:sid:sudan-national-id',
        value: nationalIdOfTestPatient,
      }),
    );
    expect(fhirSchemaErrors(read.body)).toEqual([]);
    const vread = await api(fhir, `/Patient/${patientId}/_history/1`);
    expect(vread.body.identifier).toContainEqual(
      expect.objectContaining({
        system: 'urn:nilecare:sid:sudan-national-id',
        value: nationalIdOfTestPatient,
      }),
    );
    expect(fhirSchemaErrors(vread.body)).toEqual([]);
    const search = await api(fhir, `/Patient?identifier=${nationalIdOfTestPatient}&_id=${patientId}`);
    expect(search.body.total).toBe(1);
    expect(search.body.entry[0].resource.identifier).toContainEqual(
      expect.objectContaining({
        system: 'urn:nilecare:sid:sudan-national-id',
        value: nationalIdOfTestPatient,
      }),
    );
    expect(fhirSchemaErrors(search.body)).toEqual([]);
    const rows = (await accesses(patientId)).slice(before);
    expect(rows.map((row) => row.access_reason)).toEqual(['fhir_read', 'fhir_vread', 'fhir_search']);
    for (const row of rows) {
      expect(row.user_id).toBe(apiClient);
      expect(row.user_role).toBe('api-client');
      expect(row.ip_address).toBe('127.0.0.1');
      expect(row.facility_id).toBe(stream[0]!.facilityId);
    }
    // A search that matches two revealed Patients writes two rows; a Patient without one writes none.
    const both = await api(fhir, `/Patient?_id=${patientId},${patientWithoutNationalId}`);
    expect(both.body.total).toBe(2);
    expect((await accesses(patientId)).length).toBe(before + 4);
    expect((await api(fhir, `/Patient/${patientWithoutNationalId}`)).status).toBe(200);
    expect(await accesses(patientWithoutNationalId)).toEqual([]);
    // Nor does a resource that is not a Patient.
    const total = async () =>
      (await t.query<{ n: number }>('SELECT count(*)::int AS n FROM phi_access_log'))[0]?.n;
    const all = await total();
    await api(fhir, `/Encounter?patient=${patientId}`);
    expect(await total()).toBe(all);
  });

  it('makes no new version when the same national ID arrives sealed again', async () => {
    const again = gateway.next({
      eventType: 'patient_updated',
      patientId,
      source: 'gateway-service',
      facilityId: stream[0]!.facilityId,
      tenantId: stream[0]!.tenantId,
      data: {
        changes: { sudanNationalId: encryptField(nationalIdOfTestPatient, 'sudanNationalId', keyring) },
        updatedAt: new Date().toISOString(),
      },
    });
    const unchanged = async () =>
      metricValue(await fhir.metrics.registry.metrics(), 'events_processed_total', {
        service: 'fhir',
        outcome: 'unchanged',
      });
    const before = await unchanged();
    stream.push(again);
    await t.produce([again]);
    await waitFor('the update', async () => (await processed([again.eventId])) === 1, { timeoutMs: 20_000 });
    expect(await unchanged()).toBe(before + 1);
    expect((await api(fhir, `/Patient/${patientId}`)).body.meta.versionId).toBe('2');
  });

  it('serves the national ID without its value, and logs no read, on a hub without the key', async () => {
    const otherKeys = join(dir.path, 'other-phi-keys.json');
    writeFileSync(
      otherKeys,
      JSON.stringify({
        version: 1,
        gateways: {
          'gw-else': [{ id: 'kelse', key: testKeyring('kelse').keys.get('kelse')!.toString('base64') }],
        },
      }),
    );
    // An API-only hub process (no service consuming) on the same database.
    const apiOnly = await startFhir({ services: [], phiKeysFile: otherKeys });
    const all = (await t.query<{ n: number }>('SELECT count(*)::int AS n FROM phi_access_log'))[0]?.n;
    const read = await api(apiOnly, `/Patient/${patientId}`);
    expect(read.status).toBe(200);
    const nationalId = read.body.identifier.find(
      (identifier: Json) => identifier.system === 'urn:nilecare:sid:sudan-national-id',
    );
    expect(nationalId.value).toBeUndefined();
    expect(nationalId._value.extension[0]).toEqual({
      url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
      valueCode: 'error',
    });
    expect(JSON.stringify(read.body)).not.toContain('enc:v1:');
    expect(fhirSchemaErrors(read.body)).toEqual([]);
    expect((await t.query<{ n: number }>('SELECT count(*)::int AS n FROM phi_access_log'))[0]?.n).toBe(all);
    await apiOnly.close();
  });

  it('pages with _count and Bundle links, every page a valid Bundle', async () => {
    const seen: string[] = [];
    let url: string | undefined = `/Observation?patient=${pagingPatient}&_count=10`;
    let pages = 0;
    while (url) {
      const page = await api(fhir, url);
      expect(page.status).toBe(200);
      expect(fhirSchemaErrors(page.body)).toEqual([]);
      expect(page.body.total).toBe(25);
      seen.push(...page.body.entry.map((entry: Json) => entry.resource.id));
      const next = page.body.link.find((link: Json) => link.relation === 'next')?.url as string | undefined;
      url = next ? next.slice(next.indexOf('/fhir') + '/fhir'.length) : undefined;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
  });

  it('answers errors as OperationOutcome, and serves its CapabilityStatement', async () => {
    const missing = await api(fhir, '/Patient/no-such-patient');
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
    expect(fhirSchemaErrors(missing.body)).toEqual([]);
    const badParam = await api(fhir, '/Observation?colour=blue');
    expect(badParam.status).toBe(400);
    expect(badParam.body.issue[0].diagnostics).toContain('HUB_ERR_FHIR_SEARCH_INVALID');
    const unauthorised = await api(fhir, `/Patient/${patientId}`, false);
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.body.resourceType).toBe('OperationOutcome');
    const metadata = await api(fhir, '/metadata', false);
    expect(metadata.status).toBe(200);
    expect(metadata.body.fhirVersion).toBe('4.0.1');
    expect(fhirSchemaErrors(metadata.body)).toEqual([]);
  });

  it('dead-letters an event it cannot decrypt, with the reason, and goes on', async () => {
    const stranger = fakeGateway(uniqueGatewayId('gw-nokey'));
    const poisoned = stranger.next({
      eventType: 'patient_registered',
      patientId: `${patientId}-poison`,
      source: 'gateway-service',
      data: {
        firstName: 'Amna',
        lastName: 'Osman',
        sex: 'female',
        sudanNationalId: encryptField('XYZ987654321', 'sudanNationalId', testKeyring('kother')),
        registeredAt: new Date().toISOString(),
      },
    });
    const after = stranger.vitals(`${patientId}-poison`, 80);
    await t.produce([poisoned, after]);
    const letter = await waitFor(
      'the FHIR dead letter',
      () =>
        t.deadLetters.find(
          (record) =>
            record.headers[deadLetterHeaders.service] === 'fhir' && record.value?.includes(poisoned.eventId),
        ),
      { timeoutMs: 30_000 },
    );
    expect(letter.headers[deadLetterHeaders.reasonCode]).toBe('HUB_ERR_PROCESSING_FAILED');
    expect(letter.headers[deadLetterHeaders.reason]).toContain('sudanNationalId');
    expect(letter.headers[deadLetterHeaders.reason]).not.toContain('XYZ987654321');
    await waitFor('the event after the poison', async () => (await processed([after.eventId])) === 1, {
      timeoutMs: 20_000,
    });
    expect((await api(fhir, `/Patient/${patientId}-poison`)).status).toBe(404);
  });

  it('is not changed by redelivered duplicates, nor by a restart that reads everything again', async () => {
    const before = await snapshot();
    const history = async () =>
      (await t.query<{ n: number }>('SELECT count(*)::int AS n FROM fhir_resource_history'))[0]?.n;
    const versions = await history();
    await t.produce(stream.slice(0, 20)); // the gateway resends
    await waitFor(
      'the duplicates',
      async () =>
        metricValue(await fhir.metrics.registry.metrics(), 'events_processed_total', {
          service: 'fhir',
          outcome: 'duplicate',
        }) >= 20,
      { timeoutMs: 30_000 },
    );
    await fhir.close();
    const admin = t.kafka.admin();
    await admin.connect();
    const groupId = `${t.options.consumerGroupPrefix}.fhir`;
    for (const topic of t.topics.events) await admin.resetOffsets({ groupId, topic, earliest: true });
    await admin.disconnect();
    const restarted = await startFhir();
    await waitFor(
      'the restarted service to read everything again',
      async () =>
        metricValue(await restarted.metrics.registry.metrics(), 'events_processed_total', {
          service: 'fhir',
          outcome: 'duplicate',
        }) >= stream.length,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(await snapshot()).toEqual(before);
    expect(await history()).toBe(versions);
    fhir = restarted;
  }, 120_000);

  it('shares the partitions between two instances, which together process each event once', async () => {
    const second = await startFhir();
    const admin = t.kafka.admin();
    await admin.connect();
    const groupId = `${t.options.consumerGroupPrefix}.fhir`;
    await waitFor(
      'two members in the FHIR consumer group',
      async () => {
        const { groups } = await admin.describeGroups([groupId]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === 2;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await admin.disconnect();
    const projected = async (hub: Hub) =>
      metricValue(await hub.metrics.registry.metrics(), 'events_processed_total', {
        service: 'fhir',
        outcome: 'projected',
      });
    const base = [await projected(fhir), await projected(second)];
    const spread = Array.from({ length: 40 }, (_, index) =>
      gateway.vitals(`${patientId}-spread-${index}`, 70),
    );
    await t.produce(spread);
    await waitFor(
      'both instances to finish',
      async () => (await processed(spread.map((e) => e.eventId))) === spread.length,
      {
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    const done = [(await projected(fhir)) - base[0]!, (await projected(second)) - base[1]!];
    expect(done[0]! + done[1]!).toBe(spread.length);
    expect(done[0]).toBeGreaterThan(0);
    expect(done[1]).toBeGreaterThan(0);
    const versions = await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM fhir_resource_history WHERE resource_type = 'Observation' AND id LIKE ANY($1::text[])`,
      [spread.map((event) => `${event.eventId}-%`)],
    );
    expect(versions[0]?.n).toBe(spread.length);
  }, 120_000);
});
