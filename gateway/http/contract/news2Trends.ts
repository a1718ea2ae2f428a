/** NEWS2 of every admitted patient over the last hours, hourly worst, for the board's sparklines (one request). */
import { news2Bands } from '../../../kernel/clinical/news2.ts';
import { dateTime } from './fields.ts';

export const news2HourPoint = {
  type: 'object',
  additionalProperties: false,
  required: ['t', 'total', 'band'],
  properties: {
    t: { ...dateTime, description: 'Start of the hour' },
    total: { type: 'integer', description: 'The highest NEWS2 total scored in the hour' },
    band: { type: 'string', enum: news2Bands },
  },
} as const;

export const news2TrendsReply = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'patients'],
  properties: {
    from: dateTime,
    to: dateTime,
    patients: {
      type: 'array',
      description: 'Each admitted patient, hours without a score left out',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['patientId', 'points'],
        properties: {
          patientId: { type: 'string' },
          points: { type: 'array', items: news2HourPoint },
        },
      },
    },
  },
} as const;
