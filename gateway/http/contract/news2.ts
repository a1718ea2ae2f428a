/** NEWS2 as the API shows it (kernel/clinical/news2.ts): total, band, the parameters scored and missing. */
import { news2Bands, news2Parameters } from '../../../kernel/clinical/news2.ts';
import { consciousnessLevels } from '../../../kernel/clinical/news2Chart.ts';
import { dateTime } from './fields.ts';

const parameterScore = { type: 'integer', enum: [0, 1, 2, 3] } as const;

export const news2View = {
  type: 'object',
  additionalProperties: false,
  description:
    'National Early Warning Score 2 (RCP 2017) of the latest observations. With parameters missing, total and band are the least the full score can be.',
  required: ['total', 'band', 'complete', 'missing', 'scores', 'spo2Scale'],
  properties: {
    total: { type: 'integer', minimum: 0, maximum: 20 },
    band: { type: 'string', enum: news2Bands },
    complete: { type: 'boolean', description: 'All seven parameters observed' },
    missing: { type: 'array', items: { type: 'string', enum: news2Parameters } },
    scores: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(news2Parameters.map((name) => [name, parameterScore])) as {
        [K in (typeof news2Parameters)[number]]: typeof parameterScore;
      },
    },
    spo2Scale: { type: 'integer', enum: [1, 2] },
  },
} as const;

/** The complete score an aggregate-score alert was raised on (critical_value_detected 2.1 `news2`). */
export const news2AlertScoreView = {
  type: 'object',
  additionalProperties: false,
  description:
    'The complete NEWS2 the aggregate-score alert was raised on, and whether the total or a single 3 did',
  required: ['total', 'band', 'scores', 'spo2Scale', 'trigger'],
  properties: {
    total: news2View.properties.total,
    band: news2View.properties.band,
    scores: { ...news2View.properties.scores, required: news2Parameters },
    spo2Scale: news2View.properties.spo2Scale,
    trigger: { type: 'string', enum: ['total', 'singleParameter'] },
  },
} as const;

const observation = <V extends object>(value: V) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['value', 'measuredAt', 'recordedAt', 'eventId'],
    properties: { value, measuredAt: dateTime, recordedAt: dateTime, eventId: { type: 'string' } },
  }) as const;

/** The latest air-or-oxygen observation (true: on supplemental oxygen). */
export const supplementalOxygenObservation = observation({ type: 'boolean' } as const);
/** The latest ACVPU observation. */
export const consciousnessObservation = observation({ type: 'string', enum: consciousnessLevels } as const);
