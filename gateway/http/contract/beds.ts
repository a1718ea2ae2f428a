/** The bed board. */
import { dateTime } from './fields.ts';

/** One bed: free, reserved by an admission saga, or occupied (routes/beds.ts). */
export const bedView = {
  type: 'object',
  additionalProperties: false,
  required: ['ward', 'bed', 'state'],
  properties: {
    ward: { type: 'string' },
    bed: { type: 'string' },
    state: { type: 'string', enum: ['free', 'reserved', 'occupied'] },
    patientId: { type: 'string' },
    encounterId: { type: 'string' },
    sagaId: { type: 'string' },
    expiresAt: { ...dateTime, description: 'Until when a reservation holds the bed' },
  },
} as const;

export const bedBoardReply = {
  type: 'array',
  description:
    'Every configured bed in configuration order, then any bed still held that the configuration no longer lists',
  items: bedView,
} as const;
