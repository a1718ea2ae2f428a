/** A patient's vital-sign trend: downsampled buckets, NEWS2 per bucket, alerts (gateway/trends/). */
import { news2Bands, news2Parameters } from '../../../kernel/clinical/news2.ts';
import { type VitalParameter, vitalParameters } from '../../../kernel/events/schemas/vitals.ts';
import { trendWindowNames } from './trendWindows.ts';
import { dateTime } from './fields.ts';

export const vitalsTrendQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { window: { type: 'string', enum: trendWindowNames, default: '8h' } },
} as const;

const trendPoint = {
  type: 'object',
  additionalProperties: false,
  required: ['t', 'min', 'max', 'last', 'count'],
  properties: {
    t: { ...dateTime, description: 'Start of the bucket' },
    min: { type: 'number' },
    max: { type: 'number' },
    last: { type: 'number', description: 'The latest reading in the bucket' },
    count: { type: 'integer', description: 'Readings in the bucket' },
  },
} as const;

const parameterTrend = {
  type: 'object',
  additionalProperties: false,
  required: ['device', 'manual'],
  properties: {
    device: {
      type: 'array',
      items: trendPoint,
      description: 'Buckets with a device reading; none where there was none',
    },
    manual: { type: 'array', items: trendPoint, description: 'Buckets with a reading entered by hand' },
  },
} as const;

const news2Point = {
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

const trendAlert = {
  type: 'object',
  additionalProperties: false,
  required: ['alertId', 'parameter', 'priority', 'raisedAt', 'status'],
  properties: {
    alertId: { type: 'string' },
    parameter: { type: 'string' },
    priority: { type: 'string', enum: ['high', 'medium'] },
    value: { type: 'number' },
    raisedAt: dateTime,
    resolvedAt: dateTime,
    status: { type: 'string', enum: ['active', 'acknowledged', 'resolved'] },
  },
} as const;

export const vitalsTrendReply = {
  type: 'object',
  additionalProperties: false,
  required: ['patientId', 'window', 'from', 'to', 'bucketSeconds', 'parameters', 'news2', 'alerts'],
  properties: {
    patientId: { type: 'string' },
    window: { type: 'string', enum: trendWindowNames },
    from: dateTime,
    to: dateTime,
    bucketSeconds: { type: 'integer' },
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: [...vitalParameters],
      properties: Object.fromEntries(vitalParameters.map((name) => [name, parameterTrend])) as {
        [K in VitalParameter]: typeof parameterTrend;
      },
    },
    news2: { type: 'array', items: news2Point, description: 'NEWS2 of each bucket with a reading' },
    alerts: {
      type: 'array',
      items: trendAlert,
      description: 'Alerts raised in or still open during the window',
    },
  },
} as const;
