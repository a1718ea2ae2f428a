import type { ProtocolDriver } from '../driverTypes.ts';
import { defaultLinkOptions, type LinkOptions } from './astmLink.ts';
import { openAstmOrderOutbox } from './astmOrderOutbox.ts';
import { isForAnalyzer } from './astmHostReply.ts';
import { openAstmSession } from './astmSession.ts';
import { localUtcOffset } from './astmTime.ts';
import { specimenTypes } from './labResults.ts';
import { analyzerMappingOf, testCodesOptionSchema, unitsOptionSchema } from '../lab/analyzerMapping.ts';

/**
 * ASTM E1381/E1394 lab analyzers, over a serial port or a TCP connection
 * (the analyzer's LIS port set to connect to the gateway). Options beyond
 * the port's own: see docs/devices.md.
 */
export const astmDriver: ProtocolDriver = {
  protocol: 'astm',
  transports: ['serial', 'tcp'],
  deviceKind: 'lab-analyzer',
  tcpTransport: 'astm-tcp',
  requiredOptions: ['deviceId'],
  optionProperties: {
    /** The analyzer's make and model as recorded on each result ("Sysmex XN-550"). */
    analyzer: { type: 'string', minLength: 1, maxLength: 100 },
    /** The analyzer clock's offset from UTC ("+02:00" in Sudan); default: the gateway's own zone. */
    utcOffset: { type: 'string', pattern: '^(Z|[+-](0\\d|1[0-4]):[0-5]\\d)$' },
    /** What it measures when its O record does not say. */
    specimenType: { type: 'string', enum: specimenTypes },
    /** The analyzer's test codes to the codes to record (LOINC or the lab's): {"717": "GLU"} (docs/devices.md#mapping-codes-and-units). */
    testCodes: testCodesOptionSchema,
    /** The analyzer's units to UCUM, with a factor where needed: {"10E3/uL": "10*3/uL"}. */
    units: unitsOptionSchema,
    /** E1381 receiver timeout, in milliseconds (the standard's 30 s by default). */
    receiveTimeoutMs: { type: 'integer', minimum: 100, maximum: 300_000 },
    /** Longest frame accepted, in bytes. */
    maxFrameBytes: { type: 'integer', minimum: 256, maximum: 1_048_576 },
    /** "none" for an analyzer that frames without checksums (docs/devices.md#link-options). */
    checksum: { type: 'string', enum: ['required', 'none'] },
    /** "lenient" for an analyzer that restarts frame numbers mid-message (docs/devices.md#link-options). */
    frameNumbers: { type: 'string', enum: ['strict', 'lenient'] },
    /** Whether orders sent to the analyzer carry the patient's name (docs/devices.md#host-queries-and-orders-to-the-analyzer); default: MRN only. */
    sendPatientName: { type: 'boolean' },
    /** Send each order placed for this analyzer as soon as it is placed (docs/devices.md#order-download). */
    orderDownload: { type: 'boolean' },
  },
  optionDefaults: {
    specimenType: 'other',
    testCodes: {},
    units: {},
    receiveTimeoutMs: 30_000, // ms, E1381 8.5.1
    maxFrameBytes: 64 * 1024, // bytes
    checksum: defaultLinkOptions.checksum,
    frameNumbers: defaultLinkOptions.frameNumbers,
    sendPatientName: false,
    orderDownload: false,
  },
  watch(config, context) {
    const deviceId = config.deviceId;
    if (config.orderDownload !== true || !deviceId) return () => {};
    const outbox = openAstmOrderOutbox(context.db);
    // Orders naming this analyzer as performer only: an order for no analyzer waits for a host query.
    return context.labOrders.onOrderChanged((order) => {
      if (order.performer !== deviceId) return;
      if (order.status !== 'cancelled' && !isForAnalyzer(order, deviceId)) return;
      outbox.enqueue(deviceId, order, context.clock());
    });
  },
  openSession(link, config, context) {
    const options = config as Record<string, unknown> & {
      deviceId: string;
      analyzer?: string;
      utcOffset?: string;
      specimenType: 'other';
      testCodes: Record<string, string>;
      units: Record<string, string | { unit: string; factor?: number }>;
      receiveTimeoutMs: number;
      maxFrameBytes: number;
      checksum: LinkOptions['checksum'];
      frameNumbers: LinkOptions['frameNumbers'];
      sendPatientName: boolean;
      orderDownload: boolean;
    };
    return openAstmSession(
      link,
      {
        deviceId: options.deviceId,
        ...(options.analyzer ? { analyzer: options.analyzer } : {}),
        utcOffset: options.utcOffset ?? localUtcOffset(context.clock()),
        specimenType: options.specimenType,
        mapping: analyzerMappingOf(options.testCodes, options.units),
        receiveTimeoutMs: options.receiveTimeoutMs,
        maxFrameBytes: options.maxFrameBytes,
        checksum: options.checksum,
        frameNumbers: options.frameNumbers,
        sendPatientName: options.sendPatientName,
        ...(options.orderDownload ? { orderOutbox: openAstmOrderOutbox(context.db) } : {}),
      },
      context,
    );
  },
};
