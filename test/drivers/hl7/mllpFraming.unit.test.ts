import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CR, deframe, FS, frame, type MllpItem, VT } from '../../../drivers/hl7/mllpFraming.ts';

const frames = (items: MllpItem[]) =>
  items.flatMap((item) => (item.kind === 'frame' ? [item.payload.toString('latin1')] : []));

/** Feeds chunks one after another, as reads from a socket arrive. */
function feed(chunks: Buffer[], max = 1 << 20) {
  let pending: Buffer = Buffer.alloc(0);
  let skipping = false;
  const items: MllpItem[] = [];
  for (const chunk of chunks) {
    const result = deframe(pending, chunk, max, skipping);
    items.push(...result.items);
    pending = result.pending;
    skipping = result.skipping;
  }
  return { items, pending };
}

describe('MLLP deframing', () => {
  it('finds several messages in one read', () => {
    const bytes = Buffer.concat([frame('MSH|a'), frame('MSH|b'), frame('MSH|c')]);
    const { items, pending } = feed([bytes]);
    expect(frames(items)).toEqual(['MSH|a', 'MSH|b', 'MSH|c']);
    expect(pending.length).toBe(0);
  });

  it('joins one message split across reads at every possible byte', () => {
    const bytes = Buffer.concat([frame('MSH|first\rPID|1'), frame('MSH|second')]);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const { items } = feed([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(frames(items), `cut at ${cut}`).toEqual(['MSH|first\rPID|1', 'MSH|second']);
      expect(items.filter((item) => item.kind === 'stray')).toEqual([]);
    }
  });

  it('accepts a frame whose FS is not followed by CR', () => {
    const bytes = Buffer.from([VT, 0x41, FS, VT, 0x42, FS, CR]);
    expect(frames(feed([bytes]).items)).toEqual(['A', 'B']);
  });

  it('reports bytes outside any frame, and a frame cut short by a new start, and keeps going', () => {
    const bytes = Buffer.concat([
      Buffer.from('garbage'),
      Buffer.from([VT]),
      Buffer.from('half'),
      frame('MSH|ok'),
    ]);
    const { items } = feed([bytes]);
    expect(items.map((item) => (item.kind === 'stray' ? item.reason : 'frame'))).toEqual([
      'outside_frame',
      'frame_interrupted',
      'frame',
    ]);
    expect(frames(items)).toEqual(['MSH|ok']);
  });

  it('refuses a frame over the size limit without holding it, then reads the next frame', () => {
    const big = Buffer.alloc(5000, 0x41);
    const chunks = [Buffer.from([VT]), big, big, Buffer.from([FS, CR]), frame('MSH|next')];
    const { items, pending } = feed(chunks, 4096);
    expect(items.map((item) => (item.kind === 'stray' ? item.reason : 'frame'))).toEqual([
      'frame_too_large',
      'frame',
    ]);
    expect(frames(items)).toEqual(['MSH|next']);
    expect(pending.length).toBe(0);
  });

  it('never crashes and yields exactly the framed payloads, however the bytes are cut (fuzz)', () => {
    const payload = fc
      .uint8Array({ maxLength: 60 })
      .map((bytes) => Buffer.from(bytes.filter((byte) => byte !== VT && byte !== FS)));
    fc.assert(
      fc.property(
        fc.array(payload, { maxLength: 6 }),
        fc.array(fc.nat(400), { maxLength: 8 }),
        (payloads, cuts) => {
          const bytes = Buffer.concat(payloads.map((p) => frame(p)));
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let last = 0;
          for (const point of points) {
            chunks.push(bytes.subarray(last, point));
            last = point;
          }
          chunks.push(bytes.subarray(last));
          const { items } = feed(chunks);
          expect(frames(items)).toEqual(payloads.map((p) => p.toString('latin1')));
        },
      ),
    );
  });

  it('never crashes on random bytes, and every frame it yields was delimited by VT and FS (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 6 }), (chunks) => {
        const buffers = chunks.map((chunk) => Buffer.from(chunk));
        const { items } = feed(buffers, 64);
        const all = Buffer.concat(buffers).toString('latin1');
        for (const item of items) {
          if (item.kind !== 'frame') continue;
          const text = item.payload.toString('latin1');
          expect(text.includes('\x0b') || text.includes('\x1c')).toBe(false);
          expect(all.includes(`\x0b${text}\x1c`)).toBe(true);
        }
      }),
    );
  });
});
