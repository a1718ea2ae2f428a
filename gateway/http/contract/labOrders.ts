/** Lab orders: the orderable-test catalogue, a patient's orders, the pending-orders worklist (docs/lab-orders.md). */
import { specimenTypes } from '../../../kernel/events/schemas/lab.ts';
import { appendedEvents, dateTime, text } from './fields.ts';

const priority = { type: 'string', enum: ['routine', 'urgent', 'stat'] } as const;
const status = {
  type: 'string',
  enum: ['ordered', 'collected', 'in_progress', 'partial', 'resulted', 'cancelled'],
} as const;

export const labTestView = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'specimenType', 'container'],
  properties: {
    code: { type: 'string', description: 'What the analyzer or laboratory knows the test by' },
    loinc: { type: 'string' },
    name: {
      type: 'object',
      additionalProperties: false,
      required: ['en', 'ar'],
      properties: { en: { type: 'string' }, ar: { type: 'string' } },
    },
    specimenType: { type: 'string', enum: specimenTypes },
    container: { type: 'string', description: 'Tests with the same container share one specimen' },
    performer: { type: 'string', description: 'Analyzer device id or laboratory system' },
  },
} as const;

export const labTestCatalogueReply = {
  type: 'object',
  description: 'The tests a clinician may order here, and when an open order becomes overdue',
  additionalProperties: false,
  required: ['tests', 'dueMinutes'],
  properties: {
    tests: { type: 'array', items: labTestView },
    dueMinutes: {
      type: 'object',
      additionalProperties: false,
      properties: { routine: { type: 'integer' }, urgent: { type: 'integer' }, stat: { type: 'integer' } },
    },
  },
} as const;

/** A lab order as the labOrders read model keeps it (projections/labOrders.ts). */
export const labOrderView = {
  type: 'object',
  additionalProperties: false,
  required: ['orderId', 'patientId', 'tests', 'priority', 'orderedAt', 'status', 'results'],
  properties: {
    orderId: { type: 'string' },
    patientId: { type: 'string' },
    encounterId: { type: 'string' },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['testCode', 'testName'],
        properties: { testCode: { type: 'string' }, testName: { type: 'string' } },
      },
    },
    priority,
    clinicalNotes: { type: 'string' },
    orderedAt: dateTime,
    orderedBy: {
      type: 'object',
      additionalProperties: false,
      required: ['userId'],
      properties: { userId: { type: 'string' }, userName: { type: 'string' }, userRole: { type: 'string' } },
    },
    specimen: {
      type: 'object',
      additionalProperties: false,
      required: ['specimenId', 'type'],
      properties: {
        specimenId: { type: 'string', description: 'The tube’s barcode (Code 128)' },
        type: { type: 'string' },
        collectedAt: dateTime,
      },
    },
    status,
    cancelledAt: dateTime,
    cancelReason: { type: 'string' },
    results: {
      type: 'array',
      description: 'The results that answer this order, each at its latest status',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['resultId', 'testCode', 'resultStatus'],
        properties: {
          resultId: { type: 'string' },
          testCode: { type: 'string' },
          resultStatus: { type: 'string', enum: ['preliminary', 'final', 'corrected'] },
        },
      },
    },
  },
} as const;

export const labOrderListReply = {
  type: 'object',
  description: "The patient's lab orders, oldest first",
  additionalProperties: false,
  required: ['patientId', 'orders'],
  properties: { patientId: { type: 'string' }, orders: { type: 'array', items: labOrderView } },
} as const;

export const pendingLabOrdersReply = {
  type: 'object',
  description: 'Every open order: stat first, then urgent, then routine; oldest first within each',
  additionalProperties: false,
  required: ['orders'],
  properties: {
    orders: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['order', 'patient', 'overdue'],
        properties: {
          order: labOrderView,
          patient: {
            type: 'object',
            additionalProperties: false,
            required: ['patientId', 'name'],
            properties: {
              patientId: { type: 'string' },
              name: { type: 'string' },
              patientMRN: { type: 'string' },
              ward: { type: 'string' },
              bed: { type: 'string' },
            },
          },
          dueAt: { ...dateTime, description: 'When it becomes overdue; absent: never (routine by default)' },
          overdue: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const placeLabOrderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tests', 'priority'],
  properties: {
    tests: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 32 },
      description: 'Codes from GET /api/v1/lab-tests',
    },
    priority,
    clinicalNotes: text(1000),
    encounterId: { ...text(64), description: "Default: the patient's current encounter" },
  },
} as const;

export const labOrdersPlacedReply = {
  type: 'object',
  description:
    'Ordered: one order per specimen (tests that need different tubes get their own), and the events appended',
  additionalProperties: false,
  required: ['orders', 'events'],
  properties: {
    orders: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['orderId', 'specimenId', 'specimenType', 'container', 'tests'],
        properties: {
          orderId: { type: 'string' },
          specimenId: { type: 'string' },
          specimenType: { type: 'string' },
          container: { type: 'string' },
          tests: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    events: appendedEvents,
  },
} as const;

export const collectedBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    collectedAt: { ...dateTime, description: 'Default: now' },
    note: text(500),
  },
} as const;

export const cancelBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: text(500) },
} as const;

export const orderParams = {
  type: 'object',
  required: ['patientId', 'orderId'],
  properties: { patientId: text(64), orderId: text(64) },
} as const;
