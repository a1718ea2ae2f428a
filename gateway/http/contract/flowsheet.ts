/** A patient's flowsheet: the observation grid of the last hours, one column per interval (gateway/flowsheet/). */
import { news2Bands, news2Parameters } from '../../../kernel/clinical/news2.ts';
import { consciousnessLevels } from '../../../kernel/clinical/news2Chart.ts';
import { vitalParameters } from '../../../kernel/events/schemas/vitals.ts';
import { dateTime } from './fields.ts';

/** Hours a flowsheet may span and the intervals it may be cut into (minutes); hourly over 24 h by default. */
export const flowsheetHours = ['4', '8', '12', '24', '72'] as const;
export const flowsheetIntervals = ['15', '30', '60', '120', '240'] as const;

/** Query values arrive as text: buildHttpApp turns type coercion off so that bodies are never coerced. */
export interface FlowsheetQuery {
  hours?: (typeof flowsheetHours)[number];
  interval?: (typeof flowsheetIntervals)[number];
}

export const flowsheetQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    hours: { type: 'string', enum: flowsheetHours, description: 'Hours shown (default 24)' },
    interval: { type: 'string', enum: flowsheetIntervals, description: 'Minutes per column (default 60)' },
  },
} as const;

const parameterScore = {
  type: 'integer',
  enum: [0, 1, 2, 3],
  description: 'The NEWS2 score of the charted value (RCP 2017 chart 1, SpO2 scale 1)',
} as const;

const measuredCell = {
  type: 'object',
  additionalProperties: false,
  required: ['t', 'value', 'method', 'min', 'max', 'count'],
  properties: {
    t: { ...dateTime, description: 'Start of the interval' },
    value: {
      type: 'number',
      description:
        'The charted value: the latest hand-entered reading of the interval, else the latest device reading',
    },
    method: { type: 'string', enum: ['device', 'manual'] },
    min: { type: 'number', description: 'Lowest reading of the interval, device and hand-entered' },
    max: { type: 'number', description: 'Highest reading of the interval, device and hand-entered' },
    count: { type: 'integer', description: 'Readings in the interval' },
    score: parameterScore,
  },
} as const;

const enteredCell = {
  type: 'object',
  additionalProperties: false,
  required: ['t', 'value', 'score'],
  properties: {
    t: dateTime,
    value: { type: 'string', enum: ['air', 'oxygen', ...consciousnessLevels] },
    score: parameterScore,
  },
} as const;

const news2Cell = {
  type: 'object',
  additionalProperties: false,
  required: ['t', 'total', 'band', 'complete', 'missing'],
  properties: {
    t: dateTime,
    total: { type: 'integer' },
    band: { type: 'string', enum: news2Bands },
    complete: { type: 'boolean' },
    missing: { type: 'array', items: { type: 'string', enum: news2Parameters } },
  },
} as const;

export const flowsheetReply = {
  type: 'object',
  additionalProperties: false,
  required: ['patientId', 'from', 'to', 'intervalMinutes', 'columns', 'measured', 'entered', 'news2'],
  properties: {
    patientId: { type: 'string' },
    from: dateTime,
    to: dateTime,
    intervalMinutes: { type: 'integer' },
    columns: { type: 'array', items: dateTime, description: 'Start of every interval, oldest first' },
    measured: {
      type: 'object',
      additionalProperties: false,
      required: [...vitalParameters],
      properties: Object.fromEntries(
        vitalParameters.map((name) => [name, { type: 'array', items: measuredCell }]),
      ) as { [K in (typeof vitalParameters)[number]]: { type: 'array'; items: typeof measuredCell } },
      description: 'Per parameter, the intervals with a reading (an interval without one has no cell)',
    },
    entered: {
      type: 'object',
      additionalProperties: false,
      required: ['supplementalOxygen', 'consciousness'],
      properties: {
        supplementalOxygen: { type: 'array', items: enteredCell },
        consciousness: { type: 'array', items: enteredCell },
      },
      description: 'Air or oxygen and ACVPU, as the nurse entered them in the interval',
    },
    news2: {
      type: 'array',
      items: news2Cell,
      description:
        'NEWS2 of each interval with a reading, each parameter carried forward from its latest value',
    },
  },
} as const;
