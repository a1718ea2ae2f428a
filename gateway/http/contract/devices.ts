/** Registered devices with their connection state. */
import { dateTime } from './fields.ts';

/** A device of the registry (devices/deviceRegistry.ts) with what the log saw of it (projections/devices.ts); never its secret. */
export const deviceView = {
  type: 'object',
  additionalProperties: false,
  required: [
    'deviceId',
    'kind',
    'createdAt',
    'connected',
    'lastSeenAt',
    'readings',
    'disconnectReason',
    'clockOffsetSeconds',
    'implausibleClockReadings',
  ],
  properties: {
    deviceId: { type: 'string' },
    kind: { type: 'string', description: 'vitals-monitor, pulse-oximeter ...' },
    patientId: { type: 'string', description: 'The patient it is bound to' },
    bed: { type: 'string' },
    createdAt: dateTime,
    revokedAt: dateTime,
    certificate: {
      type: 'object',
      description: 'For a device that signs in with a client certificate of the gateway CA',
      additionalProperties: false,
      required: ['fingerprint256', 'serialNumber'],
      properties: { fingerprint256: { type: 'string' }, serialNumber: { type: 'string' } },
    },
    connected: { type: 'boolean' },
    lastSeenAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Gateway clock; null: never seen',
    },
    readings: { type: 'integer' },
    disconnectReason: { type: ['string', 'null'] },
    clockOffsetSeconds: {
      type: ['integer', 'null'],
      description:
        "The device clock minus the gateway's, in seconds, as its latest reading showed (delivery delay included); null: no reading yet",
    },
    implausibleClockReadings: {
      type: 'integer',
      description:
        'Readings kept with a measurement time that cannot be right (docs/devices.md#device-clocks)',
    },
  },
} as const;

export const deviceListReply = {
  type: 'object',
  description: 'Every registered device',
  additionalProperties: false,
  required: ['devices'],
  properties: { devices: { type: 'array', items: deviceView } },
} as const;
