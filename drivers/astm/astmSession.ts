import type { DeviceLink, DriverContext, ProtocolSession } from '../driverTypes.ts';
import { ACK, NAK } from './astmFrame.ts';
import { awaitsChecksum, type LexResult, lexLink, lexQuietLine } from './astmLexer.ts';
import {
  type LinkAction,
  type LinkInput,
  type LinkOptions,
  type LinkState,
  initialLinkState,
  stepLink,
} from './astmLink.ts';
import { hostQueriesOf } from './astmHostQuery.ts';
import { hostReplyOf } from './astmHostReply.ts';
import type { AstmOrderOutbox } from './astmOrderOutbox.ts';
import { type HostRecordsContext, ordersMessage } from './astmOrderRecords.ts';
import { parseMessages } from './astmRecords.ts';
import {
  defaultSenderOptions,
  idleSender,
  type SenderAction,
  type SenderInput,
  type SenderOptions,
  type SenderState,
  stepSender,
} from './astmSender.ts';
import { type LabResultContext, type LabResultItem, labResultsOf } from './labResults.ts';
import type { AnalyzerMapping } from '../lab/analyzerMapping.ts';
import {
  accountedFor,
  type ResultOutcome,
  tallyLine,
  tallyOf,
  UnaccountedResults,
} from '../lab/resultAccounting.ts';
import { summarize } from '../../gateway/pluginApi.ts';

export interface AstmSessionOptions {
  deviceId: string;
  analyzer?: string;
  utcOffset: string;
  specimenType: LabResultContext['specimenType'];
  /** The technician's test-code and unit mapping (drivers.json `testCodes`, `units`). */
  mapping: AnalyzerMapping;
  /** E1381 receiver timeout, in milliseconds. */
  receiveTimeoutMs: number;
  /** Longest frame accepted, in bytes (analyzers exceed E1381's 247). */
  maxFrameBytes: number;
  /** Frames without a checksum: refused ("required", E1381) or read as they are ("none"). */
  checksum: LinkOptions['checksum'];
  /** Frame numbers out of sequence: NAKed ("strict", E1381) or accepted and counted ("lenient"). */
  frameNumbers: LinkOptions['frameNumbers'];
  /**
   * How long the line may stay quiet after a frame's ETB/ETX before the frame
   * is taken as sent without a checksum, in milliseconds: far below the
   * sender's 15 s wait for our answer (E1381-02 6.5.2), far above the time two
   * checksum bytes take even at 300 baud.
   */
  checksumWaitMs?: number;
  /** Whether the patient's name goes to the analyzer with an order (docs/devices.md#host-queries-and-orders-to-the-analyzer); else the MRN alone. */
  sendPatientName: boolean;
  /** Orders to download to this analyzer (drivers.json `orderDownload`), sent when the line is free. */
  orderOutbox?: AstmOrderOutbox;
  /** E1381 sender timers and retries (the standard's by default; tests shorten them). */
  sender?: SenderOptions;
}

/** Default of `checksumWaitMs`, in milliseconds. */
export const defaultChecksumWaitMs = 500;

/**
 * The shell around the pure E1381 state machine for one connection: feeds it
 * bytes and clock ticks, writes its ACK/NAK, records delivered messages
 * through the recorder and tells it when they are committed, and quarantines
 * what it refuses.
 */
export function openAstmSession(
  link: DeviceLink,
  options: AstmSessionOptions,
  context: DriverContext,
): ProtocolSession {
  const { recorder, metrics, clock } = context;
  const log = context.logger.child({ deviceId: options.deviceId, protocol: 'astm' });
  const linkOptions: LinkOptions = {
    receiveTimeoutMs: options.receiveTimeoutMs,
    checksum: options.checksum,
    frameNumbers: options.frameNumbers,
  };
  /** Quarantine rows and metrics say how the analyzer is connected. */
  const channel = link.transport;
  let state: LinkState = initialLinkState;
  /** Our own transmissions (replies to host queries), one at a time, when the line is free. */
  let sender: SenderState = idleSender;
  const outgoing: string[][] = [];
  /** The outbox row being sent, marked delivered once the analyzer ACKs the whole transmission. */
  let downloading: number | undefined;
  const senderOptions = options.sender ?? defaultSenderOptions;
  let pending: Buffer = Buffer.alloc(0);
  let quietLine: NodeJS.Timeout | undefined;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  const ticker = setInterval(
    () => {
      apply({ kind: 'tick' });
      // A sender waiting to try again does not start while the analyzer is transmitting.
      if (sender.phase !== 'waiting' || state.phase === 'idle') send({ kind: 'tick' });
      sendNext();
    },
    Math.min(1000, options.receiveTimeoutMs, senderOptions.replyTimeoutMs),
  );
  ticker.unref();

  function track(promise: Promise<unknown>): void {
    inFlight.add(promise);
    promise.finally(() => inFlight.delete(promise));
  }

  function apply(input: LinkInput): void {
    if (closed) return;
    const step = stepLink(state, input, clock().getTime(), linkOptions);
    state = step.state;
    for (const action of step.actions) perform(action);
  }

  function perform(action: LinkAction): void {
    switch (action.kind) {
      case 'send':
        if (action.control === 'NAK') metrics.naks.inc({ protocol: 'astm' });
        track(
          link
            .write(Buffer.from([action.control === 'ACK' ? ACK : NAK]))
            .catch((error: Error) => log.warn({ err: error.message }, 'could not answer the analyzer')),
        );
        return;
      case 'refuse':
        metrics.frames.inc({ protocol: 'astm', outcome: 'refused' });
        log.warn({ code: action.code, reason: action.reason }, 'ASTM input refused');
        track(
          recorder
            .quarantine({
              channel,
              origin: options.deviceId,
              reasonCode: action.code,
              reason: action.reason,
              raw: action.raw,
            })
            .catch((error: Error) => log.error({ err: error }, 'refused ASTM input not quarantined')),
        );
        return;
      case 'deliver': {
        const done = deliver(action.records, action.complete).then(
          () => apply({ kind: 'committed', deliveryId: action.deliveryId }),
          (error: Error) => {
            log.error(
              { err: error },
              'ASTM message not committed; the frame is refused so the analyzer sends it again',
            );
            apply({ kind: 'commitFailed', deliveryId: action.deliveryId });
          },
        );
        track(done);
        return;
      }
      case 'relaxed':
        metrics.astmFrameNumberRelaxed.inc({ device: options.deviceId });
        log.debug(
          { expectedFrame: action.expectedFrame, frameNumber: action.frameNumber },
          'ASTM frame accepted out of sequence (frameNumbers "lenient")',
        );
        return;
      case 'transmissionEnded':
        log.debug({ how: action.how }, 'ASTM transmission ended');
        sendNext();
        return;
      default:
        assertNever(action);
    }
  }

  /**
   * Records every result of the delivered records; resolves once each is
   * durable, quarantined or a proven duplicate, and throws (so the frame is
   * NAKed and the analyzer keeps its copy) when the count does not add up
   * (docs/devices.md#every-result-accounted-for).
   */
  async function deliver(records: string[], complete: boolean): Promise<void> {
    const raw = Buffer.from(records.join('\r'), 'latin1');
    const parsed = parseMessages(records);
    if (!parsed.ok) {
      log.warn({ code: 'GW_ERR_ASTM_MESSAGE_INVALID', reason: parsed.reason }, 'ASTM message refused');
      await recorder.quarantine({
        channel,
        origin: options.deviceId,
        reasonCode: 'GW_ERR_ASTM_MESSAGE_INVALID',
        reason: parsed.reason,
        raw,
      });
      return;
    }
    const binding = context.registry.get(options.deviceId);
    const receivedAt = clock().toISOString();
    for (const message of parsed.messages) {
      await answerQueries(message, raw);
      const { messageId, items } = labResultsOf(message, {
        deviceId: options.deviceId,
        ...(options.analyzer ? { analyzer: options.analyzer } : {}),
        facility: context.facility,
        utcOffset: options.utcOffset,
        specimenType: options.specimenType,
        mapping: options.mapping,
        receivedAt,
        findPatient: context.findPatient,
        ...(binding?.patientId ? { boundPatientId: binding.patientId } : {}),
        newId: context.newId,
        ordersForSpecimen: (specimenId) => context.labOrders.ordersForSpecimen(specimenId),
      });
      // The proof, in the log, that a message arrived before its acknowledgement (no PHI: counts only).
      log.info(
        { event: 'astm_message_received', results: items.length, complete },
        'lab results received; recording before acknowledging',
      );
      const outcomes = await Promise.all(items.map((item) => recordItem(item)));
      const tally = tallyOf(items.length, outcomes);
      for (const outcome of outcomes) metrics.labResults.inc({ protocol: 'astm', outcome });
      // What became of each result, before the acknowledgement (docs/devices.md#every-result-accounted-for).
      log.info({ event: 'astm_message_accounted', ...tally, complete }, tallyLine('astm', messageId, tally));
      if (!accountedFor(tally)) throw new UnaccountedResults(tally);
    }
    metrics.frames.inc({ protocol: 'astm', outcome: 'accepted' });
  }

  /**
   * Queues the reply to the message's host queries, sent in a new
   * transmission once the analyzer's has ended (docs/devices.md#host-queries-and-orders-to-the-analyzer).
   * An unreadable query is quarantined and answered "error in last request".
   */
  async function answerQueries(message: Parameters<typeof hostQueriesOf>[0], raw: Buffer): Promise<void> {
    const reply = hostReplyOf(hostQueriesOf(message), context.labOrders, options.deviceId, recordsContext());
    if (reply.kind === 'none') return;
    if (reply.kind === 'refused') {
      log.warn({ code: 'GW_ERR_ASTM_QUERY_INVALID', reason: reply.reason }, 'ASTM host query refused');
      await recorder.quarantine({
        channel,
        origin: options.deviceId,
        reasonCode: 'GW_ERR_ASTM_QUERY_INVALID',
        reason: reply.reason,
        raw,
      });
    } else
      log.info(
        { event: 'astm_host_query', specimens: reply.specimens, orders: reply.orders },
        'host query answered after the analyzer ends its transmission',
      );
    outgoing.push(reply.records);
  }

  function recordsContext(): HostRecordsContext {
    return {
      ...(options.analyzer ? { analyzer: options.analyzer } : {}),
      utcOffset: options.utcOffset,
      mapping: options.mapping,
      now: clock(),
      patientOf: context.patientForInstrument,
      sendPatientName: options.sendPatientName,
    };
  }

  /** The analyzer's ACK/NAK answer our frames; its ENQ while ours waits is contention, which it wins. */
  function route(token: LexResult['tokens'][number]): void {
    switch (token.kind) {
      case 'ack':
      case 'nak':
        send(token);
        return;
      case 'enq':
        if (sender.phase === 'establishing') send(token);
        if (sender.phase !== 'transferring') apply(token);
        return;
      case 'eot':
        if (sender.phase === 'transferring') send(token);
        else apply(token);
        return;
      default:
        apply(token);
    }
  }

  function send(input: SenderInput): void {
    if (closed) return;
    const step = stepSender(sender, input, clock().getTime(), senderOptions);
    sender = step.state;
    for (const action of step.actions) performSend(action);
  }

  function performSend(action: SenderAction): void {
    switch (action.kind) {
      case 'write':
        track(
          link
            .write(action.bytes)
            .catch((error: Error) => log.warn({ err: error.message }, 'could not write to the analyzer')),
        );
        return;
      case 'contention':
        log.info(
          { event: 'astm_contention' },
          'analyzer and gateway sent ENQ at once; the analyzer goes first',
        );
        return;
      case 'delivered':
        log.info(
          { event: 'astm_sent', download: downloading !== undefined },
          'transmission to the analyzer acknowledged',
        );
        if (downloading !== undefined) options.orderOutbox?.markDelivered(downloading, clock());
        downloading = undefined;
        sendNext();
        return;
      case 'aborted':
        log.warn(
          { code: 'GW_ERR_ASTM_SEND_FAILED', reason: action.reason },
          'transmission to the analyzer given up',
        );
        if (downloading !== undefined) options.orderOutbox?.markFailed(downloading, action.reason, clock());
        downloading = undefined;
        sendNext();
        return;
      default:
        assertNever(action);
    }
  }

  /** Starts the next transmission when neither side is transmitting. */
  function sendNext(): void {
    if (closed || sender.phase !== 'idle' || state.phase !== 'idle') return;
    const records = outgoing.shift();
    if (records) {
      send({ kind: 'send', records });
      return;
    }
    // Replies to queries first; then the oldest order waiting for this analyzer (docs/devices.md#order-download).
    const queued = options.orderOutbox?.nextDue(options.deviceId, clock());
    if (!queued) return;
    downloading = queued.id;
    log.info({ event: 'astm_order_download', attempts: queued.attempts }, 'sending an order to the analyzer');
    send({ kind: 'send', records: ordersMessage([queued.order], 'download', recordsContext()) });
  }

  async function recordItem(item: LabResultItem): Promise<ResultOutcome> {
    if (item.kind === 'empty') {
      await recorder.quarantine({
        channel,
        origin: options.deviceId,
        reasonCode: 'GW_ERR_LAB_RESULT_EMPTY',
        reason: item.reason,
        raw: Buffer.from(item.raw, 'latin1'),
      });
      return 'quarantined';
    }
    const outcome = await recorder.record({
      draft: item.draft,
      channel,
      origin: options.deviceId,
      deviceKey: item.deviceKey,
    });
    if (outcome.status === 'quarantined') {
      log.warn({ code: outcome.code, reason: summarize(outcome.issues) }, 'lab result quarantined');
      return 'quarantined';
    }
    if (outcome.status === 'duplicate') return 'duplicate';
    if (!item.qc)
      metrics.results.inc({ protocol: 'astm', patient: item.matchedPatient ? 'matched' : 'unmatched' });
    return 'stored';
  }

  function take(lexed: LexResult): void {
    pending = lexed.pending;
    for (const token of lexed.tokens) route(token);
  }

  return {
    receive(chunk) {
      if (closed) return;
      clearTimeout(quietLine);
      take(lexLink(pending, chunk, options.maxFrameBytes));
      // A frame ended by ETB/ETX and then silence: its sender sent no checksum and waits for us.
      if (awaitsChecksum(pending))
        quietLine = setTimeout(
          () => take(lexQuietLine(pending)),
          options.checksumWaitMs ?? defaultChecksumWaitMs,
        );
    },
    async close() {
      closed = true;
      clearInterval(ticker);
      clearTimeout(quietLine);
      await Promise.allSettled([...inFlight]);
    },
  };
}

function assertNever(value: never): never {
  throw new Error(`unexpected action ${JSON.stringify(value)}`);
}
