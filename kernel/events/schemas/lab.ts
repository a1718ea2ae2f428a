/**
 * Lab events (the platform design, "Event Types" > "Lab Events"; "Event Handlers by Service":
 * EHR, CDS, FHIR and Notification all subscribe to lab_result_available).
 * Topic lab-events as in the platform design's topic table. critical_value_detected, the
 * third lab event of the platform design, lives in alert.ts: device and lab share it.
 */
import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';

/** Test code: LOINC ("2345-7") or the analyzer's / lab's own code ("GLU", "HGB"). */
const testCode = {
  type: 'string',
  minLength: 1,
  maxLength: 32,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
} as const;
const testName = text(200);

/** The kinds of specimen a lab event names (also the orderable-test catalogue's specimenType). */
export const specimenTypes = [
  'whole_blood',
  'serum',
  'plasma',
  'capillary_blood',
  'urine',
  'stool',
  'csf',
  'sputum',
  'swab',
  'other',
] as const;

const specimen = objectOf(['specimenId', 'type'], {
  /** The tube's barcode or the lab's accession number: what analyzers report results by. */
  specimenId: id,
  type: { type: 'string', enum: specimenTypes },
  collectedAt: dateTime,
});

/**
 * Abnormal flags, HL7 v2 table 0078: L/H low/high, LL/HH critically low/high,
 * </> below/above the measurable range, N normal, A/AA abnormal/critically
 * abnormal (for results that are not numbers).
 */
export const labResultFlags = ['L', 'H', 'LL', 'HH', '<', '>', 'N', 'A', 'AA'] as const;

/** How a numeric value relates to the true one ("<0.5": below the limit of detection), as FHIR's Quantity.comparator. */
export const labValueComparators = ['<', '<=', '>', '>=', '='] as const;

const referenceRange = {
  ...objectOf([], {
    low: { type: 'number' },
    high: { type: 'number' },
    /** For ranges that are not two numbers: "negative", "< 5", "age 1-5: 10.5-14". */
    text: text(100),
  }),
  minProperties: 1,
} as const;

export const labEvents: EventTypeSpec[] = [
  {
    eventType: 'lab_order_created',
    version: '1.0',
    topic: 'lab-events',
    lane: 'clinical',
    subject: 'patient',
    description: 'A clinician ordered one or more lab tests on a specimen.',
    // Ordered in the EHR, at the clinic through the gateway, or by the lab itself (walk-in request).
    publishers: ['ehr-service', 'gateway-service', 'lab-service'],
    actorRequired: true,
    dataSchema: objectOf(['orderId', 'tests', 'priority', 'orderedAt'], {
      orderId: id,
      encounterId: id,
      tests: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: objectOf(['testCode', 'testName'], { testCode, testName }),
      },
      priority: { type: 'string', enum: ['routine', 'urgent', 'stat'] },
      /** Absent until the specimen is collected (ordered first, drawn later). */
      specimen,
      clinicalNotes: text(1000),
      orderedAt: dateTime,
    }),
  },
  {
    eventType: 'lab_specimen_collected',
    version: '1.0',
    topic: 'lab-events',
    lane: 'clinical',
    subject: 'patient',
    // lab_order_created is immutable once appended: its specimen's collectedAt stays absent when
    // the label is printed at ordering and the tube drawn later, so the draw is its own fact.
    // FHIR: Specimen.collection.collectedDateTime of the order's specimen (docs/lab-orders.md).
    description: "The specimen of a lab order was drawn and labelled with the order's specimen id.",
    publishers: ['ehr-service', 'gateway-service', 'lab-service'],
    actorRequired: true,
    dataSchema: objectOf(['orderId', 'specimenId', 'collectedAt'], {
      orderId: id,
      specimenId: id,
      collectedAt: dateTime,
      note: text(500),
    }),
  },
  {
    eventType: 'lab_order_cancelled',
    version: '1.0',
    topic: 'lab-events',
    lane: 'clinical',
    subject: 'patient',
    // FHIR: the order's ServiceRequest.status becomes `revoked` (FHIR R4 request-status).
    description:
      'A lab order was withdrawn before all its results were final; the analyzer should not run it.',
    publishers: ['ehr-service', 'gateway-service', 'lab-service'],
    actorRequired: true,
    dataSchema: objectOf(['orderId', 'reason', 'cancelledAt'], {
      orderId: id,
      /** The order's specimen, when it has one: readers keep orders by specimen, as analyzers report. */
      specimenId: id,
      reason: text(500),
      cancelledAt: dateTime,
    }),
  },
  {
    eventType: 'lab_result_available',
    // 1.1: comparator and qc added (optional), so 1.0 events are valid 1.1 events.
    version: '1.1',
    topic: 'lab-events',
    lane: 'clinical',
    // An analyzer reports by specimen; a result whose specimen the gateway cannot
    // yet match to a patient is keyed by the facility, like an unbound device reading.
    subject: 'patientOrFacility',
    description: 'A result for one test is ready: preliminary, final or corrected.',
    // The lab service at the hub, the gateway's analyzer drivers (which publish
    // as lab-service), or a result typed in at the clinic.
    publishers: ['lab-service', 'gateway-service'],
    dataSchema: {
      ...objectOf(
        ['resultId', 'specimen', 'testCode', 'testName', 'value', 'resultStatus', 'observedAt', 'reportedAt'],
        {
          /** The same from preliminary to final to corrected: a later status replaces the earlier one. */
          resultId: id,
          /** Absent when the analyzer's result could not be matched to an order. */
          orderId: id,
          specimen,
          testCode,
          testName,
          /** A number, or text for results that are not ("positive", "P. falciparum ++"). */
          value: { type: ['number', 'string'], minLength: 1, maxLength: 200 },
          /** With a numeric value: the analyzer reported "<0.5" (below what it can measure) or ">1000". */
          comparator: { type: 'string', enum: labValueComparators },
          unit: text(32),
          referenceRange,
          flags: {
            type: 'array',
            maxItems: 4,
            uniqueItems: true,
            items: { type: 'string', enum: labResultFlags },
          },
          resultStatus: { type: 'string', enum: ['preliminary', 'final', 'corrected'] },
          /** The analyzer's model ("Mindray BC-3000"), for results from one. */
          analyzer: text(100),
          deviceId: id,
          note: text(1000),
          /**
           * A quality-control run (a control material, not a patient's specimen):
           * never on a chart, never a critical value (docs/devices.md#quality-control-results).
           */
          qc: objectOf([], { control: text(64), level: text(32), lot: text(64) }),
          /** When the specimen was measured. */
          observedAt: dateTime,
          /** When the result was released to clinicians. */
          reportedAt: dateTime,
        },
      ),
      // A corrected result says why, so the clinician who acted on the first one can judge.
      if: { properties: { resultStatus: { const: 'corrected' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
      then: { required: ['note'] },
    },
  },
];
