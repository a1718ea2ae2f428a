import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';
import {
  catalogueVersion,
  type DraftStamp,
  draftEnvelope,
  eventDraft,
  facilityOf,
} from '../../../kernel/events/eventDraft.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import { exampleData } from '../../harness/exampleDrafts.ts';

const khartoum = { facilityId: 'khartoum-teaching', tenantId: 'sudan-moh', sudanState: 'Khartoum' };
const stamp: DraftStamp = {
  eventId: '0192e4a6-0000-7000-8000-000000000001',
  eventType: 'patient_registered',
  timestamp: '2026-11-26T10:00:00.000Z',
  facility: khartoum,
  source: 'gateway-clinical-api',
};

describe('catalogueVersion', () => {
  it("reads each event type's version from the catalogue", () => {
    expect(catalogueVersion('patient_registered')).toBe('1.0');
    expect(catalogueVersion('fhir_resource_created')).toBe('1.1');
    expect(catalogueVersion('admission_saga_started')).toBe('1.1');
    for (const [type, spec] of eventCatalogue) expect(catalogueVersion(type)).toBe(spec.version);
  });

  it('refuses a type the catalogue does not hold, naming it', () => {
    expect(() => catalogueVersion('patient_teleported')).toThrow(
      /"patient_teleported" is not in the event catalogue/,
    );
  });
});

describe('draftEnvelope', () => {
  it("stamps the catalogue's version and the facility, and leaves out what was not given", () => {
    expect(draftEnvelope(stamp)).toEqual({
      eventId: stamp.eventId,
      eventType: 'patient_registered',
      timestamp: stamp.timestamp,
      version: '1.0',
      facilityId: 'khartoum-teaching',
      tenantId: 'sudan-moh',
      sudanState: 'Khartoum',
      source: 'gateway-clinical-api',
    });
    const envelope = draftEnvelope({
      ...stamp,
      facility: { facilityId: 'f', tenantId: 't' },
      patientId: undefined,
    });
    expect(Object.keys(envelope)).not.toContain('sudanState');
    expect(Object.keys(envelope)).not.toContain('patientId');
  });

  it('carries the patient, the actor, the causal ids, metadata and the publishing release when given', () => {
    const envelope = draftEnvelope({
      ...stamp,
      eventType: 'fhir_resource_updated',
      patientId: 'patient-1',
      patientMRN: 'MRN-1',
      userId: 'nurse-1',
      userName: 'Amna Osman',
      userRole: 'nurse',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      metadata: { hl7: { controlId: 'MSG0001' } },
      sourceVersion: '0.1.0',
    });
    expect(envelope).toMatchObject({
      version: '1.1',
      patientId: 'patient-1',
      patientMRN: 'MRN-1',
      userId: 'nurse-1',
      userName: 'Amna Osman',
      userRole: 'nurse',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      metadata: { hl7: { controlId: 'MSG0001' } },
      sourceVersion: '0.1.0',
    });
  });

  it('leaves out empty strings as it leaves out absent fields', () => {
    const envelope = draftEnvelope({ ...stamp, patientId: '', userName: '', sourceVersion: '' });
    expect(Object.keys(envelope).sort()).toEqual(
      [
        'eventId',
        'eventType',
        'facilityId',
        'source',
        'sudanState',
        'tenantId',
        'timestamp',
        'version',
      ].sort(),
    );
  });
});

describe('eventDraft', () => {
  it('puts data in the envelope, and the result passes the catalogue check', () => {
    const data = exampleData.patient_registered ?? {};
    const draft = eventDraft({ ...stamp, patientId: 'patient-1' }, data);
    expect(draft).toEqual({ ...draftEnvelope({ ...stamp, patientId: 'patient-1' }), data });
    expect(validateDraft(draft).ok).toBe(true);
  });
});

describe('facilityOf', () => {
  it('is the facility an event was recorded at, with its Sudan state only when it has one', () => {
    const recorded = eventDraft({ ...stamp, patientId: 'patient-1' }, exampleData.patient_registered ?? {});
    expect(facilityOf(recorded)).toEqual(khartoum);
    expect(facilityOf({ facilityId: 'f', tenantId: 't' })).toEqual({ facilityId: 'f', tenantId: 't' });
  });
});
