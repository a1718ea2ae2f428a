import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { AnalyzerMapping } from '../lab/analyzerMapping.ts';
import {
  accountedFor,
  type ResultOutcome,
  tallyLine,
  tallyOf,
  UnaccountedResults,
} from '../lab/resultAccounting.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { DriverMetrics } from '../driverMetrics.ts';
import { buildAck } from './hl7Ack.ts';
import { type Hl7Message, parseHl7 } from './hl7Message.ts';
import type { Hl7Settings } from './hl7Settings.ts';
import { deframe, frame } from './mllpFraming.ts';
import { mapOruR01, messageHeader } from './oruMapping.ts';
import type { FacilityContext } from '../../kernel/events/eventDraft.ts';
import type { ClinicalRecorder, LabOrderBook } from '../../gateway/pluginApi.ts';

/** What the HL7 protocol uses from the gateway (a DriverContext provides it all). */
export interface Hl7Services {
  recorder: ClinicalRecorder;
  facility: FacilityContext;
  newId: IdSource;
  clock: () => Date;
  /** The registered patient a carried id names (patientId, else MRN). */
  findPatient: (carriedId: string) => string | undefined;
  metrics: Pick<DriverMetrics, 'hl7Messages' | 'hl7NotRecorded' | 'labResults'>;
  /** The gateway's lab orders, to link a result that names no order number (docs/devices.md). */
  labOrders?: Pick<LabOrderBook, 'ordersForSpecimen'>;
}

/** Where a session's ACKs go: a TCP socket here, a drivers-framework link elsewhere. */
export interface Hl7Link {
  write(bytes: Buffer): void;
  /** Drops the connection without an ACK (the sender retransmits later). */
  destroy(): void;
  isOpen(): boolean;
}

export interface Hl7Session {
  receive(chunk: Buffer): void;
  /** Resolves once every message received so far is answered. */
  drained(): Promise<void>;
}

/**
 * The HL7 v2 / MLLP protocol for one gateway: each frame is parsed, mapped
 * and recorded through the clinical recorder, and only then acknowledged
 * (docs/architecture.md#guarantee-1). A session handles one connection's messages in
 * order, so ACKs go back in the order the messages came. Anything refused
 * is quarantined with its reason and answered AE/AR; the connection stays.
 */
export function createHl7Protocol(
  settings: Pick<Hl7Settings, 'maxFrameBytes' | 'assumedUtcOffsetMinutes'> & { mapping: AnalyzerMapping },
  services: Hl7Services,
  logger: Logger,
) {
  const metrics = { messages: services.metrics.hl7Messages, notRecorded: services.metrics.hl7NotRecorded };
  // PID-3 repeats: the first identifier that names a registered patient wins.
  const resolvePatient = (identifiers: readonly string[]): string | undefined => {
    for (const id of identifiers) {
      const found = services.findPatient(id);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const handleFrame = async (payload: Buffer, origin: string): Promise<string | undefined> => {
    const now = services.clock();
    const controlId = services.newId().replace(/-/g, '').slice(-20);
    const parsed = parseHl7(payload.toString('utf8'));
    if (!parsed.ok) {
      await quarantine(origin, 'GW_ERR_HL7_MALFORMED', parsed.reason, payload);
      metrics.messages.inc({ outcome: 'rejected' });
      return buildAck({
        message: undefined,
        code: 'AR',
        reason: parsed.reason,
        hl7Error: '100',
        controlId,
        now,
      });
    }
    const message = parsed.message;
    const mapping = mapOruR01(message, {
      facility: services.facility,
      newId: services.newId,
      resolvePatient,
      assumedUtcOffsetMinutes: settings.assumedUtcOffsetMinutes,
      mapping: settings.mapping,
      ...(services.labOrders
        ? { ordersForSpecimen: (specimenId: string) => services.labOrders!.ordersForSpecimen(specimenId) }
        : {}),
    });
    if (!mapping.ok) {
      const code =
        mapping.acknowledgement === 'AR' ? 'GW_ERR_HL7_UNSUPPORTED' : 'GW_ERR_HL7_OBSERVATION_INVALID';
      await quarantine(origin, code, mapping.reason, payload);
      metrics.messages.inc({ outcome: 'rejected' });
      return ack(message, mapping.acknowledgement, controlId, now, mapping.reason, mapping.hl7Error);
    }
    for (const { why } of mapping.notRecorded) metrics.notRecorded.inc({ why });
    const header = messageHeader(message);
    for (const empty of mapping.empty)
      await quarantine(origin, 'GW_ERR_LAB_RESULT_EMPTY', empty.reason, Buffer.from(empty.raw, 'utf8'));
    const labDrafts = mapping.labObservations - mapping.empty.length;
    const account = (outcome: ResultOutcome) => {
      const outcomes: ResultOutcome[] = [
        ...mapping.empty.map((): ResultOutcome => 'quarantined'),
        ...Array.from({ length: labDrafts }, () => outcome),
      ];
      const tally = tallyOf(mapping.labObservations, outcomes);
      for (const each of outcomes) services.metrics.labResults.inc({ protocol: 'hl7', outcome: each });
      if (mapping.labObservations > 0)
        logger.info(
          { event: 'hl7_message_accounted', origin, ...tally },
          tallyLine('hl7', header.controlId, tally),
        );
      // Never claim (AA) more than was kept (docs/devices.md#every-result-accounted-for).
      if (!accountedFor(tally)) throw new UnaccountedResults(tally);
    };
    const [first, ...rest] = mapping.drafts;
    if (!first) {
      account('stored');
      metrics.messages.inc({ outcome: 'accepted' });
      return ack(message, 'AA', controlId, now);
    }
    // The whole message, as received: a resend under the same MSH-10 is a duplicate only if it is this.
    const sourceDigest = createHash('sha256')
      .update(
        payload
          .toString('utf8')
          .replace(/\r\n|\n/g, '\r')
          .trim(),
      )
      .digest('hex');
    const outcome = await services.recorder.record({
      draft: { ...first, metadata: { ...first.metadata, sourceDigest } },
      andThen: rest,
      channel: 'hl7',
      origin,
      raw: payload,
      // A sender that did not hear the ACK sends the same MSH-10 again: stored once (persisted in the log).
      deviceKey: `hl7:${header.sendingApplication}^${header.sendingFacility}/msg#${header.controlId}`,
    });
    if (outcome.status === 'quarantined') {
      account('quarantined');
      metrics.messages.inc({ outcome: 'rejected' });
      return ack(message, 'AE', controlId, now, `${outcome.code}: ${outcome.reason}`, '102');
    }
    account(outcome.status === 'duplicate' ? 'duplicate' : 'stored');
    metrics.messages.inc({ outcome: outcome.status === 'duplicate' ? 'duplicate' : 'accepted' });
    return ack(message, 'AA', controlId, now);
  };

  async function quarantine(origin: string, reasonCode: string, reason: string, raw: Buffer) {
    await services.recorder.quarantine({ channel: 'hl7', origin, reasonCode, reason, raw });
    logger.warn({ origin, code: reasonCode, reason }, 'HL7 input refused and quarantined');
  }

  function openSession(origin: string, link: Hl7Link): Hl7Session {
    let pending: Buffer = Buffer.alloc(0);
    let skipping = false;
    let chain: Promise<void> = Promise.resolve();
    return {
      receive(chunk) {
        const result = deframe(pending, chunk, settings.maxFrameBytes, skipping);
        pending = result.pending;
        skipping = result.skipping;
        for (const item of result.items) {
          chain = chain.then(async () => {
            if (!link.isOpen()) return;
            if (item.kind === 'stray') {
              metrics.messages.inc({ outcome: 'framing_error' });
              await quarantine(origin, 'GW_ERR_HL7_FRAMING', item.reason, item.bytes);
              return;
            }
            try {
              const reply = await handleFrame(item.payload, origin);
              if (reply && link.isOpen()) link.write(frame(reply));
            } catch (error) {
              // Not stored, so not acknowledged: closing makes the sender retransmit later.
              metrics.messages.inc({ outcome: 'error' });
              logger.error(
                { err: error, origin },
                'HL7 message could not be recorded; connection closed unacknowledged',
              );
              link.destroy();
            }
          });
        }
      },
      drained: () => chain,
    };
  }

  return { openSession };
}

function ack(
  message: Hl7Message,
  code: 'AA' | 'AE' | 'AR',
  controlId: string,
  now: Date,
  reason?: string,
  hl7Error?: '100' | '101' | '102' | '103' | '200' | '201' | '207',
): string {
  return buildAck({
    message,
    code,
    controlId,
    now,
    ...(reason ? { reason } : {}),
    ...(hl7Error ? { hl7Error } : {}),
  });
}
