/** An analyzer's quality-control results (projections/labQcResults.ts). */
import { labValue } from './clinicalRecord.ts';
import { dateTime } from './fields.ts';

export const qcResultView = {
  type: 'object',
  additionalProperties: false,
  required: ['resultId', 'testCode', 'testName', 'value', 'resultStatus', 'qc', 'observedAt'],
  properties: {
    resultId: { type: 'string' },
    testCode: { type: 'string' },
    testName: { type: 'string' },
    value: labValue,
    comparator: { type: 'string', enum: ['<', '<=', '>', '>=', '='] },
    unit: { type: 'string' },
    flags: { type: 'array', items: { type: 'string' }, description: 'HL7 v2 table 0078' },
    resultStatus: { type: 'string', enum: ['preliminary', 'final', 'corrected'] },
    qc: {
      type: 'object',
      description: 'The control material: its name, level and lot as the analyzer gave them',
      additionalProperties: false,
      properties: { control: { type: 'string' }, level: { type: 'string' }, lot: { type: 'string' } },
    },
    note: { type: 'string', description: "The analyzer's coded comments (CONTROL_FAILED ...)" },
    observedAt: dateTime,
  },
} as const;

export const qcResultListReply = {
  type: 'object',
  description: "The analyzer's quality-control results, newest first",
  additionalProperties: false,
  required: ['deviceId', 'results'],
  properties: { deviceId: { type: 'string' }, results: { type: 'array', items: qcResultView } },
} as const;

export const deviceIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['deviceId'],
  properties: { deviceId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } },
} as const;
