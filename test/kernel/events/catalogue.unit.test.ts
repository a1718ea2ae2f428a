import { describe, expect, it } from 'vitest';
import { eventCatalogue, seedEventTypes, specOf } from '../../../kernel/events/catalogue.ts';
import type { EventTypeSpec } from '../../../kernel/events/eventTypeSpec.ts';
import { admissionSagaEvents } from '../../../kernel/events/schemas/admissionSaga.ts';
import { alertEvents } from '../../../kernel/events/schemas/alert.ts';
import { appointmentEvents } from '../../../kernel/events/schemas/appointments.ts';
import { auditEvents } from '../../../kernel/events/schemas/audit.ts';
import { cdsEvents } from '../../../kernel/events/schemas/cds.ts';
import { deviceEvents } from '../../../kernel/events/schemas/device.ts';
import { diagnosisEvents } from '../../../kernel/events/schemas/diagnosis.ts';
import { encounterEvents } from '../../../kernel/events/schemas/encounter.ts';
import { fhirEvents } from '../../../kernel/events/schemas/fhir.ts';
import { labEvents } from '../../../kernel/events/schemas/lab.ts';
import { medicationEvents } from '../../../kernel/events/schemas/medication.ts';
import {
  notificationEvents,
  notificationFailedEvents,
} from '../../../kernel/events/schemas/notifications.ts';
import { patientEvents } from '../../../kernel/events/schemas/patient.ts';
import { sudanEvents } from '../../../kernel/events/schemas/sudan.ts';
import { topicNames } from '../../../kernel/kafka/kafkaTopics.ts';
import { compileSchema, validateDraft } from '../../../kernel/events/validateEvent.ts';

const specs = [...eventCatalogue.values()];
const byType = specs.map((spec) => [spec.eventType, spec] as const);

/** The service names of the platform design ("Event Handlers by Service", "Event Authorization", the topic table). */
// biome-ignore format: a list of names reads best wrapped
const seedServices = [
  'ehr-service', 'gateway-service', 'lab-service', 'cds-service', 'notification-service', 'fhir-service',
  'audit-service', 'compliance-service', 'device-integration-service', 'appointment-service', 'medication-service',
];

type Schema = Record<string, unknown>;

/**
 * Every sub-schema of `schema` that describes an object with `properties`, the
 * schema itself included. `if` is not visited: it is a condition, not a shape.
 */
function objectSchemas(schema: Schema, path = '#'): { path: string; schema: Schema }[] {
  const children: [string, unknown][] = [
    ...Object.entries((schema.properties as Schema | undefined) ?? {}).map(
      ([name, sub]): [string, unknown] => [`properties/${name}`, sub],
    ),
    ['items', schema.items],
    ['then', schema.then],
    ['else', schema.else],
    ...(['anyOf', 'oneOf', 'allOf'] as const).flatMap((key) =>
      ((schema[key] as unknown[] | undefined) ?? []).map((sub, i): [string, unknown] => [`${key}/${i}`, sub]),
    ),
  ];
  const found = schema.properties ? [{ path, schema }] : [];
  for (const [childPath, child] of children) {
    if (typeof child === 'object' && child !== null)
      found.push(...objectSchemas(child as Schema, `${path}/${childPath}`));
  }
  return found;
}

/** The names an object schema requires: its own `required` and those of its anyOf/oneOf/allOf/if/then/else branches. */
function requiredNames(schema: Schema): string[] {
  const names = [...((schema.required as string[] | undefined) ?? [])];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const branch of (schema[key] as Schema[] | undefined) ?? []) names.push(...requiredNames(branch));
  }
  for (const key of ['if', 'then', 'else'] as const) {
    const branch = schema[key] as Schema | undefined;
    if (branch) names.push(...requiredNames(branch));
  }
  const dependent = (schema.dependentRequired as Record<string, string[]> | undefined) ?? {};
  for (const [name, needs] of Object.entries(dependent)) names.push(name, ...needs);
  return names;
}

describe('the event catalogue', () => {
  it('holds every clinical event type of the platform design', () => {
    const missing = seedEventTypes.filter((type) => !eventCatalogue.has(type));
    expect(missing).toEqual([]);
  });

  it('declares each event type once across all schema files', () => {
    // biome-ignore format: a list of names reads best wrapped
    const families = [
      patientEvents, encounterEvents, diagnosisEvents, medicationEvents, labEvents,
      deviceEvents, alertEvents, sudanEvents, notificationEvents, fhirEvents, auditEvents, cdsEvents,
      appointmentEvents, admissionSagaEvents, notificationFailedEvents,
    ];
    const types = families.flat().map((spec) => spec.eventType);
    expect(new Set(types).size).toBe(types.length);
    expect(eventCatalogue.size).toBe(types.length);
  });

  it.each(byType)("routes %s to one of the platform design's ten topics", (_type, spec) => {
    expect(topicNames).toContain(spec.topic);
  });

  it.each(byType)(
    'compiles the data schema of %s with the catalogue ajv settings (strict)',
    (_type, spec) => {
      // A clone: ajv caches compiled schemas by object, and the catalogue's own are compiled at import.
      expect(() => compileSchema(structuredClone(spec.dataSchema) as Schema)).not.toThrow();
    },
  );

  it.each(byType)('closes every object of %s to unknown properties', (_type, spec) => {
    const open = objectSchemas(spec.dataSchema as Schema).filter(
      ({ schema }) => schema.additionalProperties !== false,
    );
    expect(open.map(({ path }) => path)).toEqual([]);
    expect(spec.dataSchema.type).toBe('object');
  });

  // ajv's strictRequired is off (it cannot see properties from anyOf/if branches),
  // so this is where a misspelt required name is caught.
  it.each(byType)('requires only properties that %s declares', (_type, spec) => {
    const undeclared = objectSchemas(spec.dataSchema as Schema).flatMap(({ path, schema }) =>
      requiredNames(schema)
        .filter((name) => !(name in (schema.properties as Schema)))
        .map((name) => `${path}: ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it.each(byType)(
    'names for %s a version, a description, publishers of the platform design and real encrypted fields',
    (_type, spec) => {
      expect(spec.version).toMatch(/^[0-9]+\.[0-9]+$/);
      expect(spec.description.length).toBeGreaterThan(10);
      expect(spec.publishers.length).toBeGreaterThan(0);
      for (const publisher of spec.publishers) expect(seedServices).toContain(publisher);
      // Anywhere in `data`, not only at the top: patient_updated keeps them under `changes`,
      // so whatever encrypts them must look there too.
      const properties = objectSchemas(spec.dataSchema as Schema).flatMap(({ schema }) =>
        Object.keys(schema.properties as Schema),
      );
      for (const field of spec.encryptedFields ?? []) expect(properties).toContain(field);
    },
  );

  it("keeps the platform design's authorizedPublishers for patient-events, sudan-compliance-events and critical values", () => {
    // Seed "Event Security" > "Event Authorization".
    const allowed = (spec: EventTypeSpec): readonly string[] | undefined => {
      if (spec.eventType === 'critical_value_detected') return ['device-integration-service', 'lab-service'];
      if (spec.topic === 'patient-events') return ['ehr-service', 'gateway-service'];
      if (spec.topic === 'sudan-compliance-events') return ['audit-service', 'compliance-service'];
      return undefined;
    };
    const breaches = specs.flatMap((spec) =>
      spec.publishers
        .filter((p) => !(allowed(spec) ?? spec.publishers).includes(p))
        .map((p) => `${spec.eventType}: ${p}`),
    );
    expect(breaches).toEqual([]);
  });

  it("puts the Sudan-specific events on sudan-compliance-events, about a patient and a facility as in the platform design's examples", () => {
    expect(specOf('sudan_national_id_accessed')).toMatchObject({ subject: 'patient', actorRequired: true });
    expect(specOf('sudan_moh_report_generated')).toMatchObject({ subject: 'facility' });
    expect(specOf('sudan_national_id_accessed')?.topic).toBe('sudan-compliance-events');
    expect(specOf('sudan_moh_report_generated')?.topic).toBe('sudan-compliance-events');
  });
});

describe("the platform design's example events", () => {
  it('accept "Patient Registered Event", given a UUID eventId and the sex the catalogue requires', () => {
    // Seed "Event Schema" > "Example Events", adapted: eventId "evt-123-456-789" is not a
    // UUID (docs/architecture.md#the-event: a UUIDv7), and patient.ts requires `sex`, which the example lacks.
    const seedExample = {
      eventId: '01926a7c-3b2e-7d41-9a5f-0c8e1b2d3f40',
      eventType: 'patient_registered',
      timestamp: '2024-10-08T10:30:45.123Z',
      version: '1.0',
      patientId: 'patient-uuid',
      patientMRN: 'MRN-12345',
      facilityId: 'khartoum-hospital-uuid',
      tenantId: 'sudan-ministry-uuid',
      sudanState: 'Khartoum',
      userId: 'user-uuid',
      userName: 'Dr. Ahmed Hassan',
      userRole: 'physician',
      source: 'ehr-service',
      data: {
        firstName: 'Ahmed',
        lastName: 'Mohamed',
        sex: 'male',
        sudanNationalId: 'ABC123456789',
        phone: '+249912345678',
        registeredAt: '2024-10-08T10:30:45.123Z',
      },
    };
    expect(validateDraft(seedExample)).toMatchObject({ ok: true });
  });

  it('accept "Critical Value Detected Event", given a UUID eventId and the alert fields the catalogue requires', () => {
    // Adapted: eventId is a UUID, and alert.ts requires alertId, direction,
    // priority and ruleId on top of the platform design's parameter/value/threshold/severity.
    const seedExample = {
      eventId: '01926a7c-5f10-7a22-8b3c-4d5e6f708192',
      eventType: 'critical_value_detected',
      timestamp: '2024-10-08T10:35:12.456Z',
      version: '1.0',
      patientId: 'patient-uuid',
      facilityId: 'khartoum-hospital-uuid',
      tenantId: 'sudan-ministry-uuid',
      source: 'device-integration-service',
      data: {
        alertId: 'alert-1',
        parameter: 'oxygenSaturation',
        value: 88,
        threshold: 90,
        direction: 'low',
        deviceId: 'device-uuid',
        severity: 'critical',
        priority: 'high',
        ruleId: 'spo2-low',
        detectedAt: '2024-10-08T10:35:12.456Z',
      },
      correlationId: 'vital-signs-session-123',
    };
    expect(validateDraft(seedExample)).toMatchObject({ ok: true });
  });
});
