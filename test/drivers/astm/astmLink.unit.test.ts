import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, parseFrame } from '../../../drivers/astm/astmFrame.ts';
import { lexLink } from '../../../drivers/astm/astmLexer.ts';
import {
  defaultLinkOptions,
  type LinkAction,
  type LinkInput,
  type LinkOptions,
  type LinkState,
  initialLinkState,
  stepLink,
} from '../../../drivers/astm/astmLink.ts';
import {
  astmCapture,
  framesOf,
  frameWithoutChecksum,
  renumberFrames,
  restartingFrameNumbers,
} from '../../harness/astmAnalyzer.ts';

const options = defaultLinkOptions;

/** Runs inputs through the state machine, committing every delivery at once unless told otherwise. */
function run(
  inputs: LinkInput[],
  {
    autoCommit = true,
    start = initialLinkState,
    now = (): number => 0,
    linkOptions = options,
  }: { autoCommit?: boolean; start?: LinkState; now?: () => number; linkOptions?: LinkOptions } = {},
) {
  let state: LinkState = start;
  const actions: LinkAction[] = [];
  const queue = [...inputs];
  while (queue.length > 0) {
    const step = stepLink(state, queue.shift()!, now(), linkOptions);
    state = step.state;
    for (const action of step.actions) {
      actions.push(action);
      if (action.kind === 'deliver' && autoCommit)
        queue.unshift({ kind: 'committed', deliveryId: action.deliveryId });
    }
  }
  return { state, actions };
}

const frame = (frameNumber: number, text: string, final = true): LinkInput => ({
  kind: 'frame',
  raw: encodeFrame({ frameNumber, text, final }),
});
const sent = (actions: LinkAction[]) =>
  actions.flatMap((action) => (action.kind === 'send' ? [action.control] : []));
const delivered = (actions: LinkAction[]) =>
  actions.flatMap((action) => (action.kind === 'deliver' ? [action.records] : []));

describe('the ASTM E1381 receiver', () => {
  it('acknowledges ENQ and each good frame, and delivers the message once its L record arrives', () => {
    const { actions } = run([
      { kind: 'enq' },
      frame(1, 'H|\\^&\r'),
      frame(2, 'P|1\r'),
      frame(3, 'R|1|^^^K|6.9|mmol/L\r'),
      frame(4, 'L|1|N\r'),
      { kind: 'eot' },
    ]);
    expect(sent(actions)).toEqual(['ACK', 'ACK', 'ACK', 'ACK', 'ACK']);
    expect(delivered(actions)).toEqual([['H|\\^&', 'P|1', 'R|1|^^^K|6.9|mmol/L', 'L|1|N']]);
  });

  it('holds the ACK of the frame that completes a message until its results are committed', () => {
    const held = run([{ kind: 'enq' }, frame(1, 'H|\\^&\rR|1|^^^K|6.9\rL|1|N\r')], { autoCommit: false });
    expect(sent(held.actions)).toEqual(['ACK']);
    expect(held.state.phase).toBe('committing');
    const committed = stepLink(held.state, { kind: 'committed', deliveryId: 1 }, 0, options);
    expect(sent(committed.actions)).toEqual(['ACK']);
  });

  it('NAKs the frame whose commit failed and delivers it again when the analyzer resends it', () => {
    const message = frame(1, 'H|\\^&\rR|1|^^^K|6.9\rL|1|N\r');
    const held = run([{ kind: 'enq' }, message], { autoCommit: false });
    const failed = stepLink(held.state, { kind: 'commitFailed', deliveryId: 1 }, 0, options);
    expect(sent(failed.actions)).toEqual(['NAK']);
    const resent = run([message], { start: failed.state });
    expect(sent(resent.actions)).toEqual(['ACK']);
    expect(delivered(resent.actions)).toHaveLength(1);
  });

  it('NAKs a bad checksum, then accepts the retransmission', () => {
    const good = encodeFrame({ frameNumber: 1, text: 'H|\\^&\rL|1\r', final: true });
    const bad = Buffer.from(good);
    bad[3] = 0x21;
    const { actions } = run([{ kind: 'enq' }, { kind: 'frame', raw: bad }, { kind: 'frame', raw: good }]);
    expect(sent(actions)).toEqual(['ACK', 'NAK', 'ACK']);
    expect(actions.filter((action) => action.kind === 'refuse')).toHaveLength(1);
    expect(delivered(actions)).toHaveLength(1);
  });

  it('acknowledges a frame sent again after a lost ACK without keeping it twice', () => {
    const { actions } = run([{ kind: 'enq' }, frame(1, 'H|\\^&\r'), frame(1, 'H|\\^&\r'), frame(2, 'L|1\r')]);
    expect(sent(actions)).toEqual(['ACK', 'ACK', 'ACK', 'ACK']);
    expect(delivered(actions)).toEqual([['H|\\^&', 'L|1']]);
  });

  it('NAKs a frame number out of sequence', () => {
    const { actions } = run([{ kind: 'enq' }, frame(3, 'H|\\^&\r')]);
    expect(sent(actions)).toEqual(['ACK', 'NAK']);
  });

  it('joins a record split over ETB frames and numbers frames 1..7, 0, 1', () => {
    const record = `R|1|^^^GLU|${'9'.repeat(20)}`;
    const pieces = [
      'H|\\^&\rP|1\rO|1\r',
      'R|1|^^^K|4\rR|2|^^^NA|140\r',
      'R|3|^^^CL|100\r',
      'C|1\r',
      'C|2\r',
      'C|3\r',
      'C|4\r',
    ];
    const inputs: LinkInput[] = [{ kind: 'enq' }];
    for (const [index, text] of pieces.entries()) inputs.push(frame((index + 1) % 8, text, false));
    inputs.push(
      frame(0, record.slice(0, 10), false),
      frame(1, `${record.slice(10)}\r`, false),
      frame(2, 'L|1\r', true),
    );
    const { actions } = run(inputs);
    expect(sent(actions).every((control) => control === 'ACK')).toBe(true);
    expect(delivered(actions)[0]).toContain(record);
  });

  it('ends the transmission after 30 s of silence, delivering the complete records it holds', () => {
    let now = 0;
    const { actions, state } = run(
      [{ kind: 'enq' }, frame(1, 'H|\\^&\rR|1|^^^K|6.9\r'), frame(2, 'R|2|^^^NA', false)],
      {
        now: () => now,
      },
    );
    now = 31_000;
    const step = stepLink(state, { kind: 'tick' }, now, options);
    expect(sent(actions)).toEqual(['ACK', 'ACK', 'ACK']);
    expect(step.state.phase).toBe('idle');
    expect(delivered(step.actions)).toEqual([['H|\\^&', 'R|1|^^^K|6.9']]);
    expect(step.actions.some((action) => action.kind === 'refuse')).toBe(true);
  });

  it('never throws and never delivers a record that did not come in a valid frame, whatever the bytes', () => {
    const capture = Buffer.concat([Buffer.from([0x05]), astmCapture('pentra_xlr.txt'), Buffer.from([0x04])]);
    const mutated = fc
      .array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 })
      .map((changes) => {
        const bytes = Buffer.from(capture);
        for (const { at, byte } of changes) bytes[at % bytes.length] = byte;
        return bytes;
      });
    const anyBytes = fc
      .uint8Array({ maxLength: 600 })
      .map((bytes) => Buffer.concat([Buffer.from([0x05]), bytes]));
    fc.assert(
      fc.property(fc.oneof(mutated, anyBytes), (bytes) => {
        const { tokens } = lexLink(Buffer.alloc(0), bytes, 65536);
        const validText = tokens
          .flatMap((token) => {
            if (token.kind !== 'frame') return [];
            const verdict = parseFrame(token.raw);
            return verdict.ok ? [verdict.frame.text] : [];
          })
          .join('');
        const { actions } = run([...tokens, { kind: 'eot' }]);
        for (const records of delivered(actions))
          for (const record of records) expect(validText).toContain(record);
      }),
    );
  });

  it('delivers every record of every capture unchanged', () => {
    for (const file of ['cobas_c111.txt', 'pentra_xlr.txt', 'sysmex_xp100.txt']) {
      const frames = framesOf(astmCapture(file)).map((raw): LinkInput => ({ kind: 'frame', raw }));
      const { actions } = run([{ kind: 'enq' }, ...frames, { kind: 'eot' }]);
      const records = delivered(actions).flat();
      expect(records[0]?.startsWith('H|'), file).toBe(true);
      expect(records.at(-1)?.startsWith('L|'), file).toBe(true);
    }
  });

  it('NAKs a frame whose number repeats the last one with other text, instead of dropping it as a repeat', () => {
    const { actions } = run([{ kind: 'enq' }, frame(1, 'H|\\^&\r', false), frame(1, 'R|1|^^^K|6.9\r')]);
    expect(sent(actions)).toEqual(['ACK', 'ACK', 'NAK']);
    expect(actions.find((action) => action.kind === 'refuse')).toMatchObject({
      code: 'GW_ERR_ASTM_FRAME_INVALID',
      reason: 'frame number 1 again, with other text, where 2 was expected',
    });
  });
});

/** Link tokens of bytes as they come off the line. */
const tokensOf = (...parts: Buffer[]): LinkInput[] =>
  lexLink(Buffer.alloc(0), Buffer.concat(parts), 65536).tokens;
const ENQ = Buffer.from([0x05]);
const EOT = Buffer.from([0x04]);
const refusals = (actions: LinkAction[]) => actions.filter((action) => action.kind === 'refuse');
const message = { frameNumber: 1, text: 'H|\\^&\rR|1|^^^K|6.9\rL|1|N\r', final: true };

describe('an analyzer that sends frames without a checksum', () => {
  it('is answered NAK at once with the missing checksum named, and its EOT ends the transmission', () => {
    const { actions, state } = run(tokensOf(ENQ, frameWithoutChecksum(message, ''), EOT));
    expect(sent(actions)).toEqual(['ACK', 'NAK']);
    expect(refusals(actions)).toEqual([
      {
        kind: 'refuse',
        code: 'GW_ERR_ASTM_CHECKSUM_MISSING',
        reason: 'no checksum after ETX (this port requires one: checksum "required")',
        raw: frameWithoutChecksum(message, ''),
      },
    ]);
    expect(delivered(actions)).toEqual([]);
    expect(actions.at(-1)).toEqual({ kind: 'transmissionEnded', how: 'eot' });
    expect(state.phase).toBe('idle');
  });

  it('is acknowledged and its records delivered on a port with checksum "none"', () => {
    const linkOptions: LinkOptions = { ...options, checksum: 'none' };
    const { actions } = run(
      tokensOf(
        ENQ,
        frameWithoutChecksum({ frameNumber: 1, text: 'H|\\^&\r', final: false }, '\r\n'),
        frameWithoutChecksum({ frameNumber: 2, text: 'R|1|^^^K|6.9\rL|1|N\r', final: true }, ''),
        EOT,
      ),
      { linkOptions },
    );
    expect(sent(actions)).toEqual(['ACK', 'ACK', 'ACK']);
    expect(delivered(actions)).toEqual([['H|\\^&', 'R|1|^^^K|6.9', 'L|1|N']]);
    expect(refusals(actions)).toEqual([]);
  });

  it('still has a wrong checksum refused on a port with checksum "none"', () => {
    const bad = encodeFrame(message);
    bad[bad.length - 3] = bad[bad.length - 3] === 0x30 ? 0x31 : 0x30;
    const { actions } = run(tokensOf(ENQ, bad), { linkOptions: { ...options, checksum: 'none' } });
    expect(sent(actions)).toEqual(['ACK', 'NAK']);
    expect(refusals(actions)[0]).toMatchObject({ code: 'GW_ERR_ASTM_FRAME_INVALID' });
  });

  it('counts the 30 s receiver timeout from the answer to its frame (E1381 8.5.1)', () => {
    let now = 0;
    const answered = run(tokensOf(ENQ), { now: () => now });
    now = 20_000;
    const nak = run(tokensOf(frameWithoutChecksum(message, '\r\n')), {
      start: answered.state,
      now: () => now,
    });
    expect(sent(nak.actions)).toEqual(['NAK']);
    expect(stepLink(nak.state, { kind: 'tick' }, 49_999, options).state.phase).toBe('receiving');
    const ended = stepLink(nak.state, { kind: 'tick' }, 50_000, options);
    expect(ended.state.phase).toBe('idle');
    expect(ended.actions).toEqual([{ kind: 'transmissionEnded', how: 'timeout' }]);
  });
});

describe('an analyzer that restarts its frame numbers mid-message (1-5, then 1, 1, 1, 4, 5 ...)', () => {
  const pentra = framesOf(astmCapture('pentra_xlr.txt'));
  const restarting = renumberFrames(pentra, restartingFrameNumbers(pentra.length));
  const inputs: LinkInput[] = [
    { kind: 'enq' },
    ...restarting.map((raw): LinkInput => ({ kind: 'frame', raw })),
  ];
  const results = (actions: LinkAction[]) =>
    delivered(actions)
      .flat()
      .filter((record) => record.startsWith('R|'));

  it('is NAKed at its first restarted frame with frame numbers "strict" (E1381)', () => {
    const { actions } = run(inputs.slice(0, 7));
    expect(sent(actions)).toEqual(['ACK', 'ACK', 'ACK', 'ACK', 'ACK', 'ACK', 'NAK']);
    expect(refusals(actions)[0]).toMatchObject({ reason: 'frame number 1 where 6 was expected' });
  });

  it('has every frame acknowledged and all 21 results delivered with frame numbers "lenient", each relaxation reported', () => {
    const { actions } = run([...inputs, { kind: 'eot' }], {
      linkOptions: { ...options, frameNumbers: 'lenient' },
    });
    expect(sent(actions)).toEqual(inputs.map(() => 'ACK'));
    expect(results(actions)).toHaveLength(21);
    expect(delivered(actions)).toHaveLength(1);
    expect(actions.filter((action) => action.kind === 'relaxed')).toEqual([
      { kind: 'relaxed', expectedFrame: 6, frameNumber: 1 },
      { kind: 'relaxed', expectedFrame: 2, frameNumber: 1 },
      { kind: 'relaxed', expectedFrame: 2, frameNumber: 1 },
      { kind: 'relaxed', expectedFrame: 2, frameNumber: 4 },
    ]);
  });

  it('still knows a frame sent again after a lost ACK and keeps it once, with frame numbers "lenient"', () => {
    const repeated = [...inputs.slice(0, 7), inputs[6]!, ...inputs.slice(7)];
    const { actions } = run([...repeated, { kind: 'eot' }], {
      linkOptions: { ...options, frameNumbers: 'lenient' },
    });
    expect(sent(actions)).toEqual(repeated.map(() => 'ACK'));
    expect(results(actions)).toHaveLength(21);
    expect(actions.filter((action) => action.kind === 'relaxed')).toHaveLength(4);
  });

  it('still refuses a bad checksum with frame numbers "lenient"', () => {
    const bad = Buffer.from(restarting[5]!);
    bad[3] = bad[3] === 0x21 ? 0x22 : 0x21;
    const { actions } = run([...inputs.slice(0, 6), { kind: 'frame', raw: bad }], {
      linkOptions: { ...options, frameNumbers: 'lenient' },
    });
    expect(sent(actions).at(-1)).toBe('NAK');
    expect(refusals(actions)[0]).toMatchObject({ code: 'GW_ERR_ASTM_FRAME_INVALID' });
  });
});
