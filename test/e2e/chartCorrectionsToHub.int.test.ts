import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafkaBrokers } from '../harness/kafka.ts';
import { startTestHub, type TestHub } from '../harness/hubUnderTest.ts';
import { signInOverHttp } from '../harness/sessions.ts';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';
import { waitFor } from '../harness/waitFor.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are walked freely in assertions
type Json = any;

// A physician's corrections on the chart, end to end (docs/fhir.md): the gateway's
// HTTP API appends encounter_updated and diagnosis_updated, its read models show
// them, its sync engine sends them over real Kafka, and the hub's ingest guard and
// FHIR service (real PostgreSQL) lay them over the Encounter and the Condition.
const token = 'test-token-chart-corrections-0123';
let hub: TestHub;
let gateway: TestGateway;
let physician: { cookie: string };

async function api(method: string, path: string, body?: unknown): Promise<Json> {
  const response = await fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...physician },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function fhir(path: string): Promise<Json> {
  const response = await fetch(`http://127.0.0.1:${hub.hub.httpPort}/fhir${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status === 200 ? response.json() : undefined;
}

beforeAll(async () => {
  hub = await startTestHub({ services: ['ingest-guard', 'fhir'], apiToken: token });
  gateway = await startTestGateway({
    kafkaBrokers: testKafkaBrokers(),
    syncTopicPrefix: hub.prefix,
    syncReconnectMinMs: 50,
    syncReconnectMaxMs: 400,
    wards: 'Medical:M1-M4',
  });
  physician = (await signInOverHttp(gateway, 'physician', { displayName: 'Dr Hiba Osman' })).headers;
}, 180_000);
afterAll(async () => {
  await gateway?.stop();
  await hub?.close();
}, 60_000);

describe('a correction on the chart reaches the hub', () => {
  it("changes the Encounter's attending physician, class and reason, and the Condition's verification and severity", async () => {
    await api('POST', '/api/v1/patients', {
      patientId: 'p-amna',
      firstName: 'Amna',
      lastName: 'Yousif',
      sex: 'female',
    });
    const { encounterId } = await api('POST', '/api/v1/patients/p-amna/admissions', {
      ward: 'Medical',
      reason: 'Fever',
    });
    const { diagnosisId } = await api('POST', '/api/v1/patients/p-amna/diagnoses', {
      icd10Code: 'B50.9',
      description: 'Plasmodium falciparum malaria, unspecified',
      verificationStatus: 'provisional',
    });
    const attending = { practitionerId: 'u-hiba', display: 'Dr Hiba Osman' };
    await api('PATCH', `/api/v1/patients/p-amna/encounters/${encounterId}`, {
      attendingPhysician: attending,
      encounterClass: 'emergency',
      reason: 'Severe malaria',
    });
    await api('PATCH', `/api/v1/patients/p-amna/diagnoses/${diagnosisId}`, {
      verificationStatus: 'confirmed',
      severity: 'severe',
      reason: 'Blood film: P. falciparum 4 %',
    });

    // The gateway's read models, as the chart reads them.
    const chart = await api('GET', '/api/v1/patients/p-amna');
    expect(chart.encounters[0]).toMatchObject({
      encounterId,
      attendingPhysician: attending,
      encounterClass: 'emergency',
      reason: 'Severe malaria',
    });
    const { diagnoses } = await api('GET', '/api/v1/patients/p-amna/diagnoses');
    expect(diagnoses[0]).toMatchObject({ diagnosisId, verificationStatus: 'confirmed', severity: 'severe' });

    // The hub's FHIR resources, once the sync engine has sent everything.
    const encounter = await waitFor(
      'the hub to project the encounter change',
      async () => {
        const resource = await fhir(`/Encounter/${encounterId}`);
        return resource?.participant ? resource : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(encounter.class.code).toBe('EMER');
    expect(encounter.reasonCode).toEqual([{ text: 'Severe malaria' }]);
    expect(encounter.participant[0]).toMatchObject({
      type: [{ coding: [{ code: 'ATND' }] }],
      individual: { identifier: { value: 'u-hiba' }, display: 'Dr Hiba Osman' },
    });
    const condition = await waitFor(
      'the hub to project the diagnosis change',
      async () => {
        const resource = await fhir(`/Condition/${diagnosisId}`);
        return resource?.severity ? resource : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(condition.verificationStatus.coding[0].code).toBe('confirmed');
    expect(condition.severity.coding[0]).toMatchObject({
      system: 'http://snomed.info/sct',
      code: '24484000',
    });
    expect(condition.code.coding[0].code).toBe('B50.9');
  }, 180_000);
});
