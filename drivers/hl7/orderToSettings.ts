import { defaultRetryPolicy } from './orderDelivery.ts';
import { orderMessageTypes } from './orderMessage.ts';
import type { OrderToSettings } from './orderToLis.ts';

/**
 * JSON Schema of an HL7 listener's `orderTo` in drivers.json: where its
 * laboratory system takes orders (docs/devices.md#orders-to-a-laboratory-system-hl7).
 */
export const orderToOptionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port'],
  properties: {
    /** The laboratory system's address. */
    host: { type: 'string', minLength: 1, maxLength: 253 },
    /** Its MLLP port. */
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    /** OML^O21 (HL7 2.5.1 laboratory order) or ORM^O01 for a laboratory system that takes only that. */
    message: { type: 'string', enum: orderMessageTypes },
    /** MSH-5, the receiving application, when the laboratory system checks it. */
    receivingApplication: { type: 'string', minLength: 1, maxLength: 180 },
    /** Whether PID-5 carries the patient's name; default: the MRN alone. */
    sendPatientName: { type: 'boolean' },
    /** How long to wait for the ACK, in milliseconds. */
    ackTimeoutMs: { type: 'integer', minimum: 100, maximum: 300_000 },
    /** First pause after a failed try, in milliseconds (doubled each try). */
    retryBaseMs: { type: 'integer', minimum: 100, maximum: 3_600_000 },
    /** Longest pause between tries, in milliseconds. */
    retryMaxMs: { type: 'integer', minimum: 100, maximum: 86_400_000 },
    /** Refusals (AE/AR/CE/CR) after which an order is marked failed (GW_ERR_HL7_ORDER_REFUSED). */
    maxRefusals: { type: 'integer', minimum: 1, maximum: 100 },
  },
} as const;

export const defaultOrderTo = {
  message: 'OML^O21',
  receivingApplication: 'LIS',
  sendPatientName: false,
  ackTimeoutMs: 30_000, // ms
  ...defaultRetryPolicy,
} as const;

/** `orderTo` as the schema accepted it, with its defaults. */
export function orderToSettingsOf(value: unknown): OrderToSettings {
  return {
    ...defaultOrderTo,
    ...(value as Partial<OrderToSettings> & Pick<OrderToSettings, 'host' | 'port'>),
  };
}
