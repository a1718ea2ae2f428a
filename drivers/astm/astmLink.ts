import {
  type AstmFrame,
  type ChecksumRule,
  type FrameRefusal,
  nextFrameNumber,
  parseFrame,
} from './astmFrame.ts';
import type { LinkToken } from './astmLexer.ts';

/**
 * The receiver's side of ASTM E1381 as a pure state machine: link tokens,
 * clock ticks and commit outcomes in; bytes to send, records to deliver and
 * input to refuse out. The transport (serial port, TCP socket) is a thin
 * shell that feeds it and carries out its actions.
 *
 * The frame that completes a message (the one holding its L record) is
 * acknowledged only after the message's results are committed (docs/architecture.md#guarantee-1); if the commit fails it is NAKed and the analyzer sends it
 * again. Every other good frame is ACKed at once: its records are held until
 * the message is complete.
 */

export interface LinkOptions {
  /** E1381 8.5.1: a receiver that hears nothing for 30 s ends the transmission, in milliseconds. */
  receiveTimeoutMs: number;
  /** "none": frames without a checksum are read as they are (docs/devices.md#link-options). */
  checksum: ChecksumRule;
  /**
   * "lenient": a frame whose number is out of sequence is accepted (and reported
   * as relaxed) instead of NAKed, for analyzers that restart their frame numbers.
   */
  frameNumbers: 'strict' | 'lenient';
}

export const defaultLinkOptions: LinkOptions = {
  receiveTimeoutMs: 30_000, // ms, E1381 8.5.1
  checksum: 'required',
  frameNumbers: 'strict',
};

interface Receiving {
  phase: 'receiving';
  expectedFrame: number;
  /** The last frame accepted, to know it if it comes again because our ACK was lost. */
  lastAccepted: AstmFrame | undefined;
  /** Text of a record not yet ended by CR (it continues in the next frame). */
  partial: string;
  /** Complete records of a message not complete yet. */
  records: string[];
  deadline: number;
}

interface Committing {
  phase: 'committing';
  deliveryId: number;
  /** Where to go once the delivery is committed (ACK) or failed (NAK: as before the frame). */
  after: Receiving;
  rollback: Receiving;
  /** The analyzer gave up waiting (EOT): no ACK after the commit. */
  ended: boolean;
}

export type LinkState = { nextDeliveryId: number } & ({ phase: 'idle' } | Receiving | Committing);

export type LinkInput =
  | LinkToken
  | { kind: 'tick' }
  | { kind: 'committed'; deliveryId: number }
  | { kind: 'commitFailed'; deliveryId: number };

export type LinkAction =
  | { kind: 'send'; control: 'ACK' | 'NAK' }
  /** Records to record; `complete` when they end with an L record (else the transmission ended early). */
  | { kind: 'deliver'; deliveryId: number; records: string[]; complete: boolean }
  | { kind: 'refuse'; code: FrameRefusal['code']; reason: string; raw: Buffer }
  /** A frame accepted out of sequence because the frame numbers are lenient: to be counted. */
  | { kind: 'relaxed'; expectedFrame: number; frameNumber: number }
  | { kind: 'transmissionEnded'; how: 'eot' | 'timeout' | 'restarted' };

export interface LinkStep {
  state: LinkState;
  actions: LinkAction[];
}

export const initialLinkState: LinkState = { phase: 'idle', nextDeliveryId: 1 };

const isTerminator = (record: string) =>
  record[0] === 'L' && (record.length === 1 || !/[A-Za-z0-9]/.test(record[1]!));

export function stepLink(state: LinkState, input: LinkInput, now: number, options: LinkOptions): LinkStep {
  const fresh = (): Receiving => ({
    phase: 'receiving',
    expectedFrame: 1,
    lastAccepted: undefined,
    partial: '',
    records: [],
    deadline: now + options.receiveTimeoutMs,
  });
  const ids = { nextDeliveryId: state.nextDeliveryId };
  switch (state.phase) {
    case 'idle':
      if (input.kind === 'enq') return { state: { ...ids, ...fresh() }, actions: [send('ACK')] };
      if (input.kind === 'frame' || input.kind === 'noise')
        return {
          state,
          actions: [
            {
              kind: 'refuse',
              code: 'GW_ERR_ASTM_FRAME_INVALID',
              reason: 'received outside a transmission (no ENQ first)',
              raw: input.raw,
            },
          ],
        };
      return { state, actions: [] };
    case 'receiving':
      return stepReceiving(state, input, now, options, fresh);
    case 'committing':
      return stepCommitting(state, input);
    default:
      return assertNever(state);
  }
}

function stepReceiving(
  state: LinkState & Receiving,
  input: LinkInput,
  now: number,
  options: LinkOptions,
  fresh: () => Receiving,
): LinkStep {
  const ids = { nextDeliveryId: state.nextDeliveryId };
  switch (input.kind) {
    case 'enq': {
      // The analyzer started over: what it sent so far is ended as if by EOT.
      const ended = endTransmission(state, 'restarted');
      return { state: { ...ended.state, ...fresh() }, actions: [...ended.actions, send('ACK')] };
    }
    case 'eot':
      return endTransmission(state, 'eot');
    case 'tick':
      return now >= state.deadline ? endTransmission(state, 'timeout') : { state, actions: [] };
    case 'noise':
      return {
        state,
        actions: [
          {
            kind: 'refuse',
            code: 'GW_ERR_ASTM_FRAME_INVALID',
            reason: 'bytes between frames that are not E1381 control characters',
            raw: input.raw,
          },
        ],
      };
    case 'frame':
      return receiveFrame(state, input.raw, now, options);
    default:
      return { state: { ...state, ...ids }, actions: [] };
  }
}

function receiveFrame(
  state: LinkState & Receiving,
  raw: Buffer,
  now: number,
  options: LinkOptions,
): LinkStep {
  const deadline = now + options.receiveTimeoutMs;
  const verdict = parseFrame(raw, options.checksum);
  if (!verdict.ok)
    return {
      state: { ...state, deadline },
      actions: [send('NAK'), { kind: 'refuse', code: verdict.code, reason: verdict.reason, raw }],
    };
  const { frame } = verdict;
  // Our ACK was lost and the analyzer sent the frame again: acknowledge, keep nothing twice.
  if (isSameFrame(frame, state.lastAccepted))
    return { state: { ...state, deadline }, actions: [send('ACK')] };
  const relaxed: LinkAction[] = [];
  if (frame.frameNumber !== state.expectedFrame) {
    if (options.frameNumbers === 'strict') {
      const again = frame.frameNumber === state.lastAccepted?.frameNumber ? ' again, with other text,' : '';
      const reason = `frame number ${frame.frameNumber}${again} where ${state.expectedFrame} was expected`;
      return {
        state: { ...state, deadline },
        actions: [send('NAK'), { kind: 'refuse', code: 'GW_ERR_ASTM_FRAME_INVALID', reason, raw }],
      };
    }
    relaxed.push({ kind: 'relaxed', expectedFrame: state.expectedFrame, frameNumber: frame.frameNumber });
  }
  const pieces = (state.partial + frame.text).split('\r');
  let partial = pieces.pop() ?? '';
  if (frame.final && partial !== '') {
    pieces.push(partial);
    partial = '';
  }
  const records = [...state.records, ...pieces.filter((record) => record !== '')];
  const lastTerminator = records.findLastIndex(isTerminator);
  const accepted: Receiving = {
    ...state,
    phase: 'receiving',
    expectedFrame: nextFrameNumber(frame.frameNumber),
    lastAccepted: frame,
    partial,
    records,
    deadline,
  };
  if (lastTerminator < 0)
    return {
      state: { ...accepted, nextDeliveryId: state.nextDeliveryId },
      actions: [...relaxed, send('ACK')],
    };
  const deliveryId = state.nextDeliveryId;
  const { nextDeliveryId: _n, ...rollback } = state;
  return {
    state: {
      nextDeliveryId: deliveryId + 1,
      phase: 'committing',
      deliveryId,
      after: { ...accepted, records: records.slice(lastTerminator + 1) },
      rollback: { ...rollback, deadline },
      ended: false,
    },
    actions: [
      ...relaxed,
      { kind: 'deliver', deliveryId, records: records.slice(0, lastTerminator + 1), complete: true },
    ],
  };
}

function stepCommitting(state: LinkState & Committing, input: LinkInput): LinkStep {
  const ids = { nextDeliveryId: state.nextDeliveryId };
  if (input.kind === 'eot') return { state: { ...state, ended: true }, actions: [] };
  if (
    (input.kind === 'committed' || input.kind === 'commitFailed') &&
    input.deliveryId === state.deliveryId
  ) {
    if (state.ended)
      return { state: { ...ids, phase: 'idle' }, actions: [{ kind: 'transmissionEnded', how: 'eot' }] };
    return input.kind === 'committed'
      ? { state: { ...ids, ...state.after }, actions: [send('ACK')] }
      : { state: { ...ids, ...state.rollback }, actions: [send('NAK')] };
  }
  // The analyzer waits for our reply to its frame: anything else now is ignored.
  return { state, actions: [] };
}

/**
 * EOT, a receive timeout or a new ENQ: complete records of an unfinished
 * message are still delivered (a retransmission of them is recognised and
 * stored once); text of a record cut short is refused.
 */
function endTransmission(state: LinkState & Receiving, how: 'eot' | 'timeout' | 'restarted'): LinkStep {
  const actions: LinkAction[] = [];
  let nextDeliveryId = state.nextDeliveryId;
  if (state.records.length > 0) {
    actions.push({ kind: 'deliver', deliveryId: nextDeliveryId, records: state.records, complete: false });
    nextDeliveryId += 1;
  }
  if (state.partial !== '')
    actions.push({
      kind: 'refuse',
      code: 'GW_ERR_ASTM_FRAME_INVALID',
      reason: `record cut short by ${how}`,
      raw: Buffer.from(state.partial, 'latin1'),
    });
  actions.push({ kind: 'transmissionEnded', how });
  return { state: { phase: 'idle', nextDeliveryId }, actions };
}

/**
 * The same frame again: same number, same text, same end mark (E1381-02 6.5.1:
 * a sender repeats a frame it heard no ACK for). A frame with the number of the
 * last one but other text is new text, never dropped as a repeat.
 */
const isSameFrame = (frame: AstmFrame, last: AstmFrame | undefined): boolean =>
  last !== undefined &&
  frame.frameNumber === last.frameNumber &&
  frame.text === last.text &&
  frame.final === last.final;

const send = (control: 'ACK' | 'NAK'): LinkAction => ({ kind: 'send', control });

function assertNever(value: never): never {
  throw new Error(`unexpected link state ${JSON.stringify(value)}`);
}
