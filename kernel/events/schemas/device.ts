import type { EventTypeSpec } from '../eventTypeSpec.ts';
import { dateTime, id, objectOf, text } from './common.ts';
import { vitalParameterSpecs, vitalParameters } from './vitals.ts';

const devicePublishers = ['device-integration-service', 'gateway-service'];

const vitalQuantities = Object.fromEntries(
  vitalParameters.map((name) => {
    const spec = vitalParameterSpecs[name];
    return [
      name,
      objectOf(['value', 'unit'], {
        value: { type: 'number', minimum: spec.minimum, maximum: spec.maximum },
        unit: { type: 'string', const: spec.unit },
      }),
    ];
  }),
);

const transports = { type: 'string', enum: ['mqtt', 'serial', 'hl7-mllp', 'astm-tcp', 'http'] } as const;

export const deviceEvents: EventTypeSpec[] = [
  {
    eventType: 'vital_signs_recorded',
    version: '1.0',
    topic: 'device-events',
    lane: 'telemetry',
    subject: 'patientOrFacility',
    description: 'A set of vital signs measured by a device or entered by hand.',
    publishers: devicePublishers,
    dataSchema: {
      ...objectOf(['method', 'measuredAt'], {
        method: { type: 'string', enum: ['device', 'manual'] },
        deviceId: id,
        deviceSeq: { type: 'integer', minimum: 0 },
        bed: text(32),
        measuredAt: dateTime,
        ...vitalQuantities,
        supplementalOxygen: { type: 'boolean' },
        consciousness: { type: 'string', enum: ['A', 'C', 'V', 'P', 'U'] },
      }),
      anyOf: vitalParameters.map((name) => ({ required: [name] })),
    },
  },
  {
    eventType: 'device_alert_triggered',
    version: '1.0',
    topic: 'device-events',
    lane: 'alert',
    subject: 'patientOrFacility',
    description: "A device raised an alarm of its own (technical or physiological, in the device's terms).",
    publishers: devicePublishers,
    dataSchema: objectOf(['deviceId', 'alarmCode', 'priority', 'triggeredAt'], {
      deviceId: id,
      alarmCode: text(64),
      description: text(500),
      priority: { type: 'string', enum: ['high', 'medium', 'low'] },
      kind: { type: 'string', enum: ['physiological', 'technical'] },
      triggeredAt: dateTime,
    }),
  },
  {
    eventType: 'device_connected',
    version: '1.0',
    topic: 'device-events',
    lane: 'telemetry',
    subject: 'facility',
    description: 'A device connected to the gateway (MQTT session, serial port opened, ...).',
    publishers: devicePublishers,
    dataSchema: objectOf(['deviceId', 'transport', 'connectedAt'], {
      deviceId: id,
      transport: transports,
      port: text(200),
      connectedAt: dateTime,
    }),
  },
  {
    eventType: 'device_disconnected',
    version: '1.0',
    topic: 'device-events',
    lane: 'telemetry',
    subject: 'facility',
    description:
      'A device went away: a clean disconnect, its Last Will, a keep-alive timeout or a lost link.',
    publishers: devicePublishers,
    dataSchema: objectOf(['deviceId', 'transport', 'reason', 'disconnectedAt'], {
      deviceId: id,
      transport: transports,
      reason: {
        type: 'string',
        enum: [
          'clean',
          'last_will',
          'keepalive_timeout',
          'connection_lost',
          'revoked',
          'protocol_error',
          'gateway_shutdown',
          'unplugged',
        ],
      },
      disconnectedAt: dateTime,
    }),
  },
];
