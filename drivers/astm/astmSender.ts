import { EOT, ENQ, encodeFrame, nextFrameNumber } from './astmFrame.ts';

/**
 * The sender's side of ASTM E1381 as a pure state machine, for what the
 * gateway sends an analyzer (a reply to its host query, an order download):
 * establishment (ENQ, wait for ACK), transfer (frame by frame, each resent
 * on NAK or silence), termination (EOT). Link tokens and clock ticks in;
 * bytes to write and the outcome out. The receiving side is astmLink.ts;
 * the session routes each token to one of them (docs/devices.md#host-queries-and-orders-to-the-analyzer).
 */

export interface SenderOptions {
  /** E1381: a sender waits 15 s for the reply to ENQ or a frame, in milliseconds. */
  replyTimeoutMs: number;
  /** E1381: after a NAK to its ENQ the sender waits at least 10 s before trying again, in milliseconds. */
  busyRetryMs: number;
  /**
   * E1381 contention: both sides sent ENQ; the instrument has priority and
   * the computer system waits at least 20 s before its next ENQ, in milliseconds.
   */
  contentionBackoffMs: number;
  /** E1381: a frame is sent at most 6 times; then the sender gives up with EOT. */
  maxAttempts: number;
}

export const defaultSenderOptions: SenderOptions = {
  replyTimeoutMs: 15_000, // ms
  busyRetryMs: 10_000, // ms
  contentionBackoffMs: 20_000, // ms
  maxAttempts: 6,
};

/** E1381: at most 240 characters of text in a frame (247 with its framing). */
export const maxFrameText = 240;

export type SenderState =
  | { phase: 'idle' }
  /** Waiting before the next ENQ (busy receiver, contention, no answer). */
  | { phase: 'waiting'; frames: Buffer[]; until: number; enqAttempts: number }
  | { phase: 'establishing'; frames: Buffer[]; deadline: number; enqAttempts: number }
  | { phase: 'transferring'; frames: Buffer[]; index: number; attempts: number; deadline: number };

export type SenderInput =
  | { kind: 'send'; records: readonly string[] }
  | { kind: 'ack' | 'nak' | 'enq' | 'eot' }
  | { kind: 'tick' };

export type SenderAction =
  | { kind: 'write'; bytes: Buffer }
  /** The analyzer sent ENQ while ours waited: it wins; the session hands its ENQ to the receiver. */
  | { kind: 'contention' }
  | { kind: 'delivered' }
  | { kind: 'aborted'; reason: string };

export interface SenderStep {
  state: SenderState;
  actions: SenderAction[];
}

export const idleSender: SenderState = { phase: 'idle' };

/**
 * Records framed as E1381 has it: each record (ended by CR) starts a new
 * frame, cut into frames of at most 240 characters, intermediate ones ended
 * by ETB and the record's last by ETX; frames numbered 1..7, 0, 1 ...
 */
export function framesOfRecords(records: readonly string[], maxText = maxFrameText): Buffer[] {
  const frames: Buffer[] = [];
  let frameNumber = 1;
  for (const record of records) {
    const text = `${record}\r`;
    for (let offset = 0; offset < text.length; offset += maxText) {
      const final = offset + maxText >= text.length;
      frames.push(encodeFrame({ frameNumber, text: text.slice(offset, offset + maxText), final }));
      frameNumber = nextFrameNumber(frameNumber);
    }
  }
  return frames;
}

const write = (byte: number): SenderAction => ({ kind: 'write', bytes: Buffer.from([byte]) });

export function stepSender(
  state: SenderState,
  input: SenderInput,
  now: number,
  options: SenderOptions = defaultSenderOptions,
): SenderStep {
  switch (state.phase) {
    case 'idle':
      if (input.kind !== 'send') return { state, actions: [] };
      return establish(framesOfRecords(input.records), 0, now, options);
    case 'waiting':
      if (input.kind === 'tick' && now >= state.until)
        return establish(state.frames, state.enqAttempts, now, options);
      return { state, actions: [] };
    case 'establishing':
      return stepEstablishing(state, input, now, options);
    case 'transferring':
      return stepTransferring(state, input, now, options);
    default:
      return assertNever(state);
  }
}

function establish(frames: Buffer[], enqAttempts: number, now: number, options: SenderOptions): SenderStep {
  if (enqAttempts >= options.maxAttempts)
    return {
      state: idleSender,
      actions: [{ kind: 'aborted', reason: `no ACK to ${enqAttempts} ENQ` }],
    };
  return {
    state: {
      phase: 'establishing',
      frames,
      deadline: now + options.replyTimeoutMs,
      enqAttempts: enqAttempts + 1,
    },
    actions: [write(ENQ)],
  };
}

function stepEstablishing(
  state: Extract<SenderState, { phase: 'establishing' }>,
  input: SenderInput,
  now: number,
  options: SenderOptions,
): SenderStep {
  const wait = (ms: number): SenderState => ({
    phase: 'waiting',
    frames: state.frames,
    until: now + ms,
    enqAttempts: state.enqAttempts,
  });
  switch (input.kind) {
    case 'ack':
      return transfer(state.frames, 0, 0, now, options);
    case 'nak':
      return { state: wait(options.busyRetryMs), actions: [] };
    case 'enq':
      // Contention: the instrument wins; it does not count as a failed attempt.
      return {
        state: {
          ...(wait(options.contentionBackoffMs) as Extract<SenderState, { phase: 'waiting' }>),
          enqAttempts: state.enqAttempts - 1,
        },
        actions: [{ kind: 'contention' }],
      };
    case 'tick':
      if (now < state.deadline) return { state, actions: [] };
      // No answer to ENQ: end the attempt with EOT and try again later.
      return { state: wait(options.busyRetryMs), actions: [write(EOT)] };
    default:
      return { state, actions: [] };
  }
}

function transfer(
  frames: Buffer[],
  index: number,
  attempts: number,
  now: number,
  options: SenderOptions,
): SenderStep {
  const frame = frames[index];
  if (!frame) return { state: idleSender, actions: [write(EOT), { kind: 'delivered' }] };
  return {
    state: {
      phase: 'transferring',
      frames,
      index,
      attempts: attempts + 1,
      deadline: now + options.replyTimeoutMs,
    },
    actions: [{ kind: 'write', bytes: frame }],
  };
}

function stepTransferring(
  state: Extract<SenderState, { phase: 'transferring' }>,
  input: SenderInput,
  now: number,
  options: SenderOptions,
): SenderStep {
  const again = (why: string): SenderStep =>
    state.attempts >= options.maxAttempts
      ? {
          state: idleSender,
          actions: [
            write(EOT),
            {
              kind: 'aborted',
              reason: `frame ${state.index + 1} of ${state.frames.length}: ${why} ${state.attempts} times`,
            },
          ],
        }
      : transfer(state.frames, state.index, state.attempts, now, options);
  switch (input.kind) {
    // EOT in place of ACK: the frame was received and the receiver asks us to stop soon; we finish the message.
    case 'ack':
    case 'eot':
      return transfer(state.frames, state.index + 1, 0, now, options);
    case 'nak':
      return again('NAK');
    case 'tick':
      return now < state.deadline ? { state, actions: [] } : again('no answer');
    default:
      return { state, actions: [] };
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected sender state ${JSON.stringify(value)}`);
}
