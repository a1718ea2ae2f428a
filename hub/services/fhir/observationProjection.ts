import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { type VitalParameter, vitalParameterSpecs } from '../../../kernel/events/schemas/vitals.ts';
import { fhirId, ref, systems } from './fhirIds.ts';
import type { FhirResource, ResourceChange } from './fhirTypes.ts';
import {
  actorRef,
  clean,
  coding,
  concept,
  type Data,
  merged,
  num,
  obj,
  patientRef,
  quantity,
  str,
  withProfile,
} from './projectionKit.ts';

const vitalSignsCategory = [
  concept(systems.observationCategory, 'vital-signs', 'Vital Signs', 'Vital Signs'),
];
const labCategory = [concept(systems.observationCategory, 'laboratory', 'Laboratory', 'Laboratory')];

/** One Observation per vital sign (LOINC, vital-signs profile); blood pressure as the 85354-9 panel. */
const singles: { parameter: VitalParameter; suffix: string; display: string; extra?: [string, string] }[] = [
  { parameter: 'heartRate', suffix: 'hr', display: 'Heart rate' },
  // The vital-signs profile's SpO2 code is 2708-6; 59408-5 says it was measured by pulse oximetry.
  {
    parameter: 'oxygenSaturation',
    suffix: 'spo2',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    extra: ['2708-6', 'Oxygen saturation in Arterial blood'],
  },
  { parameter: 'respiratoryRate', suffix: 'rr', display: 'Respiratory rate' },
  { parameter: 'temperature', suffix: 'temp', display: 'Body temperature' },
];

/** Observations from vital_signs_recorded; a reading from a device bound to no patient is not projected. */
export function vitalSignsChanges(event: EventDraft): ResourceChange[] {
  const data = event.data as Data;
  if (!event.patientId) return [];
  const patientId = event.patientId;
  const deviceId = str(data, 'deviceId');
  const common = {
    status: 'final',
    category: vitalSignsCategory,
    subject: patientRef(event),
    effectiveDateTime: str(data, 'measuredAt'),
    issued: event.timestamp,
    device: deviceId ? ref('Device', deviceId) : undefined,
    performer: actorRef(event) ? [actorRef(event)] : undefined,
  };
  const reading = (parameter: VitalParameter) => {
    const value = obj(data, parameter);
    return value && typeof value.value === 'number'
      ? quantity(value.value, vitalParameterSpecs[parameter].unit)
      : undefined;
  };
  const changes: ResourceChange[] = [];
  const observation = (suffix: string, fields: Record<string, unknown>): ResourceChange => {
    const id = `${fhirId(event.eventId)}-${suffix}`;
    return {
      resourceType: 'Observation',
      id,
      patientId,
      apply: (current) =>
        withProfile(merged(current, 'Observation', id, { ...common, ...fields }), systems.vitalSignsProfile),
    };
  };
  for (const { parameter, suffix, display, extra } of singles) {
    const value = reading(parameter);
    if (!value) continue;
    const loinc = vitalParameterSpecs[parameter].loinc;
    changes.push(
      observation(suffix, {
        code: {
          coding: [
            coding(systems.loinc, loinc, display),
            ...(extra ? [coding(systems.loinc, ...extra)] : []),
          ],
          text: display,
        },
        valueQuantity: value,
      }),
    );
  }
  const systolic = reading('systolicBloodPressure');
  const diastolic = reading('diastolicBloodPressure');
  if (systolic || diastolic) {
    changes.push(
      observation('bp', {
        code: concept(
          systems.loinc,
          '85354-9',
          'Blood pressure panel with all children optional',
          'Blood pressure',
        ),
        component: [
          ...(systolic
            ? [{ code: concept(systems.loinc, '8480-6', 'Systolic blood pressure'), valueQuantity: systolic }]
            : []),
          ...(diastolic
            ? [
                {
                  code: concept(systems.loinc, '8462-4', 'Diastolic blood pressure'),
                  valueQuantity: diastolic,
                },
              ]
            : []),
        ],
      }),
    );
  }
  return changes;
}

const loincPattern = /^[0-9]{1,5}-[0-9]$/;

function testConcept(testCode: string, testName: string | undefined) {
  return concept(loincPattern.test(testCode) ? systems.loinc : systems.labCode, testCode, testName, testName);
}

/**
 * lab_result_available: the result as a laboratory Observation (same resultId
 * from preliminary to final to corrected: one resource, new versions), and the
 * DiagnosticReport of its order (or of the result alone) listing it.
 */
export function labResultChanges(event: EventDraft): ResourceChange[] {
  const data = event.data as Data;
  const resultId = str(data, 'resultId');
  const testCode = str(data, 'testCode');
  // A quality-control run measures control material, not a person: it is no part of any record.
  if (!resultId || !testCode || data.qc !== undefined) return [];
  const observationId = fhirId(resultId);
  const status = str(data, 'resultStatus') ?? 'preliminary';
  const value = data.value;
  const range = obj(data, 'referenceRange');
  const unit = str(data, 'unit');
  const flags = Array.isArray(data.flags) ? (data.flags as string[]) : [];
  const specimen = obj(data, 'specimen');
  const orderId = str(data, 'orderId');
  const deviceId = str(data, 'deviceId');
  const patient = event.patientId ? { patientId: event.patientId } : {};
  const observation: ResourceChange = {
    resourceType: 'Observation',
    id: observationId,
    ...patient,
    apply: (current) =>
      merged(current, 'Observation', observationId, {
        identifier: [{ system: 'urn:nilecare:sid:lab-result-id', value: resultId }],
        basedOn: orderId ? [ref('ServiceRequest', orderId)] : undefined,
        status,
        category: labCategory,
        code: testConcept(testCode, str(data, 'testName')),
        subject: patientRef(event),
        effectiveDateTime: str(data, 'observedAt'),
        issued: str(data, 'reportedAt'),
        valueQuantity:
          typeof value === 'number'
            ? clean({ ...quantity(value, unit), comparator: str(data, 'comparator') })
            : undefined,
        valueString: typeof value === 'string' ? value : undefined,
        interpretation:
          flags.length > 0 ? flags.map((flag) => concept(systems.interpretation, flag)) : undefined,
        referenceRange: range
          ? [
              clean({
                low: num(range, 'low') !== undefined ? quantity(num(range, 'low')!, unit) : undefined,
                high: num(range, 'high') !== undefined ? quantity(num(range, 'high')!, unit) : undefined,
                text: str(range, 'text'),
              }),
            ]
          : undefined,
        note: str(data, 'note') ? [{ text: str(data, 'note') }] : undefined,
        specimen: specimen
          ? { display: `${str(specimen, 'type')} specimen ${str(specimen, 'specimenId')}` }
          : undefined,
        device: deviceId ? ref('Device', deviceId) : undefined,
      }),
  };
  const reportId = fhirId(orderId ?? resultId);
  const report: ResourceChange = {
    resourceType: 'DiagnosticReport',
    id: reportId,
    ...patient,
    apply: (current) => {
      const results = ((current?.result as { reference: string }[] | undefined) ?? []).filter(
        (entry) => entry.reference !== `Observation/${observationId}`,
      );
      // The report's status follows its latest result (a FHIR report status has the same three codes).
      const reportStatus = status;
      return merged(current, 'DiagnosticReport', reportId, {
        identifier: [{ system: 'urn:nilecare:sid:lab-report-id', value: orderId ?? resultId }],
        basedOn: orderId ? [ref('ServiceRequest', orderId)] : undefined,
        status: reportStatus,
        category: [concept(systems.v20074, 'LAB', 'Laboratory')],
        code: concept(systems.loinc, '11502-2', 'Laboratory report', 'Laboratory report'),
        subject: patientRef(event),
        effectiveDateTime: str(data, 'observedAt'),
        issued: str(data, 'reportedAt'),
        result: [...results, { reference: `Observation/${observationId}` }],
      });
    },
  };
  return [observation, report];
}

/** ServiceRequest from lab_order_created: the tests ordered, one code each. */
export function labOrderChange(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const orderId = str(data, 'orderId');
  if (!orderId || !event.patientId) return undefined;
  const tests = (Array.isArray(data.tests) ? data.tests : []) as Data[];
  const encounterId = str(data, 'encounterId');
  return {
    resourceType: 'ServiceRequest',
    id: fhirId(orderId),
    patientId: event.patientId,
    apply: (current: FhirResource | undefined) =>
      merged(current, 'ServiceRequest', fhirId(orderId), {
        identifier: [{ system: 'urn:nilecare:sid:lab-order-id', value: orderId }],
        status: 'active',
        intent: 'order',
        category: [concept(systems.snomed, '108252007', 'Laboratory procedure')],
        priority: str(data, 'priority'),
        code: {
          coding: tests.map(
            (test) => testConcept(str(test, 'testCode') ?? 'unknown', str(test, 'testName')).coding[0],
          ),
          text: tests.map((test) => str(test, 'testName')).join(', '),
        },
        subject: patientRef(event),
        encounter: encounterId ? ref('Encounter', encounterId) : undefined,
        authoredOn: str(data, 'orderedAt'),
        requester: actorRef(event),
        note: str(data, 'clinicalNotes') ? [{ text: str(data, 'clinicalNotes') }] : undefined,
      }),
  };
}

/**
 * lab_order_cancelled: the order's ServiceRequest becomes `revoked` (FHIR R4
 * request-status: "the request has been withdrawn"), the reason as a note
 * beside the clinician's; the tests, requester and dates stay as ordered.
 */
export function labOrderCancellation(event: EventDraft): ResourceChange | undefined {
  const data = event.data as Data;
  const orderId = str(data, 'orderId');
  if (!orderId || !event.patientId) return undefined;
  const reason = str(data, 'reason');
  return {
    resourceType: 'ServiceRequest',
    id: fhirId(orderId),
    patientId: event.patientId,
    apply: (current: FhirResource | undefined) => {
      const notes = ((current?.note as { text: string }[] | undefined) ?? []).filter(
        (note) => !note.text.startsWith('Cancelled: '),
      );
      return merged(current, 'ServiceRequest', fhirId(orderId), {
        identifier: [{ system: 'urn:nilecare:sid:lab-order-id', value: orderId }],
        status: 'revoked',
        intent: 'order',
        subject: patientRef(event),
        note: reason ? [...notes, { text: `Cancelled: ${reason}` }] : notes,
      });
    },
  };
}
