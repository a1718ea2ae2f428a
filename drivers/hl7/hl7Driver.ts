import { localUtcOffset, offsetMinutes } from '../astm/astmTime.ts';
import type { ProtocolDriver, ProtocolSession } from '../driverTypes.ts';
import { defaultHl7Settings } from './hl7Settings.ts';
import { analyzerMappingOf, testCodesOptionSchema, unitsOptionSchema } from '../lab/analyzerMapping.ts';
import { createHl7Protocol } from './hl7Session.ts';
import { openHl7OrderOutbox } from './hl7OrderOutbox.ts';
import { orderToOptionSchema, orderToSettingsOf } from './orderToSettings.ts';
import { startOrderSending } from './orderToLis.ts';

/**
 * HL7 v2 over MLLP (lab systems, central monitoring stations): a TCP listener
 * the senders connect to, one HL7 session per connection. Options beyond the
 * listener's own: see docs/devices.md. `deviceId` is optional, as one listener
 * may serve several senders; each result names its own device (OBX-18, else MSH-3).
 * With `orderTo`, the listener also sends the orders whose performer it is to
 * its laboratory system, as the MLLP client (docs/devices.md#orders-to-a-laboratory-system-hl7).
 */
export const hl7Driver: ProtocolDriver = {
  protocol: 'hl7',
  transports: ['tcp'],
  deviceKind: 'hl7-sender',
  tcpTransport: 'hl7-mllp',
  optionProperties: {
    /** Largest message accepted, in bytes. */
    maxFrameBytes: { type: 'integer', minimum: 1024, maximum: 64 << 20 },
    /** Offset from UTC of senders that write times without one ("+02:00" in Sudan); default: the gateway's zone. */
    utcOffset: { type: 'string', pattern: '^(Z|[+-](0\\d|1[0-4]):[0-5]\\d)$' },
    /** The senders' test codes to the codes to record (docs/devices.md#mapping-codes-and-units). */
    testCodes: testCodesOptionSchema,
    /** The senders' units to UCUM, with a factor where needed: {"{cells}/uL": "/uL"}. */
    units: unitsOptionSchema,
    /** The laboratory system this listener's orders go to (docs/devices.md#orders-to-a-laboratory-system-hl7). */
    orderTo: orderToOptionSchema,
  },
  // The listener's deviceId is the catalogue's `performer` of the tests its laboratory system takes.
  dependentRequired: { orderTo: ['deviceId'] },
  optionDefaults: { maxFrameBytes: defaultHl7Settings.maxFrameBytes, testCodes: {}, units: {} },
  watch(config, context) {
    const listener = config.deviceId;
    if (config.orderTo === undefined || !listener) return () => {};
    return startOrderSending({
      listener,
      settings: orderToSettingsOf(config.orderTo),
      outbox: openHl7OrderOutbox(context.db),
      labOrders: context.labOrders,
      patientOf: (patientId) => context.patientForInstrument(patientId),
      facilityName: context.facility.facilityId,
      clock: context.clock,
      metrics: context.metrics,
      logger: context.logger.child({ component: 'hl7-orders' }),
    });
  },
  openSession(link, config, context): ProtocolSession {
    const options = config as {
      maxFrameBytes: number;
      utcOffset?: string;
      testCodes: Record<string, string>;
      units: Record<string, string | { unit: string; factor?: number }>;
    };
    const protocol = createHl7Protocol(
      {
        maxFrameBytes: options.maxFrameBytes,
        assumedUtcOffsetMinutes: offsetMinutes(options.utcOffset ?? localUtcOffset(context.clock())),
        mapping: analyzerMappingOf(options.testCodes, options.units),
      },
      context,
      context.logger.child({ component: 'hl7' }),
    );
    let open = true;
    const session = protocol.openSession(link.describe, {
      write: (bytes) => {
        // A connection gone before its ACK: the sender retransmits, the log keeps the message once.
        link.write(bytes).catch(() => undefined);
      },
      destroy: () => {
        open = false;
        link.hangUp?.();
      },
      isOpen: () => open,
    });
    return {
      receive: (chunk) => session.receive(chunk),
      async close() {
        await session.drained();
        open = false;
      },
    };
  },
};
