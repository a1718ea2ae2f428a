import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EOT, ENQ, parseFrame } from '../../../drivers/astm/astmFrame.ts';
import {
  defaultSenderOptions,
  framesOfRecords,
  idleSender,
  type SenderAction,
  type SenderInput,
  type SenderState,
  stepSender,
} from '../../../drivers/astm/astmSender.ts';

/** Drives the sender through inputs at given times; returns every action and the last state. */
function drive(steps: [SenderInput, number][], from: SenderState = idleSender) {
  let state = from;
  const actions: SenderAction[] = [];
  for (const [input, now] of steps) {
    const step = stepSender(state, input, now);
    state = step.state;
    actions.push(...step.actions);
  }
  return { state, actions };
}

const written = (actions: SenderAction[]) =>
  actions.flatMap((action) => (action.kind === 'write' ? [action.bytes] : []));
const isByte = (bytes: Buffer | undefined, byte: number) => bytes?.length === 1 && bytes[0] === byte;
const records = ['H|\\^&', 'P|1|MRN-1', 'O|1|SPC-1||^^^K|S', 'L|1|N'];
const send: SenderInput = { kind: 'send', records };

describe('E1381 frames the gateway sends', () => {
  const text = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 700,
  });

  it('are at most 247 bytes, numbered 1..7, 0, 1 ..., and carry the records back whole', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 12 }), (recordTexts) => {
        const frames = framesOfRecords(recordTexts);
        const parsed = frames.map((raw) => parseFrame(raw));
        parsed.forEach((verdict, index) => {
          expect(verdict.ok).toBe(true);
          if (verdict.ok) expect(verdict.frame.frameNumber).toBe((index + 1) % 8);
        });
        for (const raw of frames) expect(raw.length).toBeLessThanOrEqual(247);
        const texts = parsed.map((verdict) => (verdict.ok ? verdict.frame.text : ''));
        expect(texts.join('')).toBe(recordTexts.map((record) => `${record}\r`).join(''));
        // A record's last frame ends with ETX, its others with ETB.
        const finals = parsed.map((verdict) => verdict.ok && verdict.frame.final);
        const ends = texts.map((frameText) => frameText.endsWith('\r'));
        expect(finals).toEqual(ends);
      }),
    );
  });
});

describe('the E1381 sender', () => {
  it('sends ENQ, each frame on ACK, then EOT, and says the message was delivered', () => {
    const frames = framesOfRecords(records);
    const { state, actions } = drive([
      [send, 0],
      ...frames.map((): [SenderInput, number] => [{ kind: 'ack' }, 10]),
      [{ kind: 'ack' }, 20],
    ]);
    const bytes = written(actions);
    expect(isByte(bytes[0], ENQ)).toBe(true);
    expect(bytes.slice(1, -1)).toEqual(frames);
    expect(isByte(bytes.at(-1), EOT)).toBe(true);
    expect(actions.at(-1)).toEqual({ kind: 'delivered' });
    expect(state).toEqual(idleSender);
  });

  it('sends a NAKed frame again, and gives up with EOT after the sixth try', () => {
    const nak: [SenderInput, number] = [{ kind: 'nak' }, 5];
    const { state, actions } = drive([[send, 0], [{ kind: 'ack' }, 1], nak, nak, nak, nak, nak, nak]);
    const bytes = written(actions);
    const first = framesOfRecords(records)[0]!;
    expect(bytes.filter((b) => b.equals(first))).toHaveLength(6);
    expect(isByte(bytes.at(-1), EOT)).toBe(true);
    expect(actions.at(-1)).toMatchObject({ kind: 'aborted', reason: expect.stringContaining('NAK 6 times') });
    expect(state).toEqual(idleSender);
  });

  it('sends a frame again when no answer comes within 15 s, not before', () => {
    const early = drive([
      [send, 0],
      [{ kind: 'ack' }, 0],
      [{ kind: 'tick' }, 14_999],
    ]);
    expect(written(early.actions)).toHaveLength(2);
    const late = drive([[{ kind: 'tick' }, 15_000]], early.state);
    expect(written(late.actions)).toEqual([framesOfRecords(records)[0]]);
  });

  it('waits 10 s after a NAK to its ENQ before the next ENQ', () => {
    const busy = drive([
      [send, 0],
      [{ kind: 'nak' }, 100],
      [{ kind: 'tick' }, 10_099],
    ]);
    expect(written(busy.actions)).toHaveLength(1);
    const again = drive([[{ kind: 'tick' }, 10_100]], busy.state);
    expect(written(again.actions).map((b) => b[0])).toEqual([ENQ]);
  });

  it('gives way to the analyzer when both send ENQ at once, and tries again no sooner than 20 s later', () => {
    const contention = drive([
      [send, 0],
      [{ kind: 'enq' }, 50],
    ]);
    expect(contention.actions).toContainEqual({ kind: 'contention' });
    expect(contention.state).toMatchObject({
      phase: 'waiting',
      until: 50 + defaultSenderOptions.contentionBackoffMs,
    });
    const tooSoon = drive([[{ kind: 'tick' }, 20_049]], contention.state);
    expect(written(tooSoon.actions)).toHaveLength(0);
    const after = drive(
      [
        [{ kind: 'tick' }, 20_050],
        [{ kind: 'ack' }, 20_060],
      ],
      contention.state,
    );
    expect(written(after.actions).map((b) => b[1] ?? b[0])).toEqual([ENQ, 0x31]);
  });

  it('ends an unanswered ENQ with EOT and gives up after six', () => {
    let step = drive([[send, 0]]);
    const all: SenderAction[] = [...step.actions];
    for (let now = 15_000; step.state.phase !== 'idle' && now < 1_000_000; now += 15_000) {
      step = drive([[{ kind: 'tick' }, now]], step.state);
      all.push(...step.actions);
    }
    expect(written(all).filter((b) => isByte(b, ENQ))).toHaveLength(6);
    expect(all.at(-1)).toMatchObject({ kind: 'aborted', reason: 'no ACK to 6 ENQ' });
  });
});
