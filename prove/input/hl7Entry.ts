import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { deframe, frame } from '../../drivers/hl7/mllpFraming.ts';
import { hl7Samples, pcd01Message } from '../../test/harness/hl7Testdata.ts';
import { type EntryPoint, within } from './entryPoint.ts';

/** The driver's default frame limit (drivers/hl7/hl7Settings.ts). */
const maxFrameBytes = 1024 * 1024;
/** The longest field the campaign sends: over that limit now and then, so it is tried too. */
const hugeField = 1_200_000;

/** Bytes that frame MLLP itself (start block, end block): kept out of a payload so each input stays one frame. */
const stripFraming = (bytes: Buffer) => Buffer.from(bytes.filter((byte) => byte !== 0x0b && byte !== 0x1c));

const seedMessages = (): string[] => [
  pcd01Message('CTRL1', 'p-unknown'),
  ...hl7Samples().map((sample) => sample.bytes.toString('utf8')),
];

/** One message mutated: segments dropped, repeated or invented, delimiters swapped, fields blown up, re-encoded. */
const hostileMessage = (seeds: readonly string[]): fc.Arbitrary<Buffer> =>
  fc
    .record({
      seed: fc.constantFrom(...seeds),
      drop: fc.array(fc.nat(), { maxLength: 3 }),
      invent: fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom('OBX', 'PID', 'OBR', 'MSH', 'ZZZ', 'NTE', ''),
          fc.string({ maxLength: 60 }),
        ),
        { maxLength: 3 },
      ),
      delimiters: fc.option(fc.string({ minLength: 1, maxLength: 5 }), { freq: 4 }),
      huge: fc.option(fc.integer({ min: 1000, max: hugeField }), { freq: 20 }),
      encoding: fc.constantFrom<'utf8' | 'latin1' | 'utf16le' | 'bom' | 'lf'>(
        'utf8',
        'utf8',
        'latin1',
        'utf16le',
        'bom',
        'lf',
      ),
    })
    .map(({ seed, drop, invent, delimiters, huge, encoding }) => {
      const segments = seed.split(/\r\n?|\n/).filter((segment) => segment.length > 0);
      for (const at of drop) if (segments.length > 0) segments.splice(at % segments.length, 1);
      for (const [at, name, body] of invent)
        segments.splice(at % (segments.length + 1), 0, `${name}|${body}`);
      if (delimiters !== null && segments[0]?.startsWith('MSH'))
        segments[0] = `MSH${delimiters}${segments[0].slice(3 + Math.min(5, delimiters.length))}`;
      if (huge !== null && segments.length > 0) segments[segments.length - 1] += `|${'X'.repeat(huge)}`;
      const text = segments.join(encoding === 'lf' ? '\n' : '\r');
      if (encoding === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      return Buffer.from(text, encoding === 'lf' ? 'utf8' : encoding);
    });

/** An MLLP connection ([HL7 2.5.1 appendix C]) that counts the ACK frames coming back and reads each MSA-1. */
async function mllpLine(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const codes: string[] = [];
  let wake: (() => void) | undefined;
  let pending: Buffer = Buffer.alloc(0);
  let closed = false;
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  socket.on('data', (chunk: Buffer) => {
    const result = deframe(pending, chunk, 1 << 20);
    pending = result.pending;
    for (const item of result.items)
      if (item.kind === 'frame')
        codes.push(/MSA\|([A-Z]{2})/.exec(item.payload.toString('utf8'))?.[1] ?? '?');
    wake?.();
  });
  return {
    closed: () => closed,
    /** Sends one framed message and resolves with its ACK code, or 'closed'. */
    async exchange(payload: Buffer, waitMs = Number.POSITIVE_INFINITY): Promise<string> {
      const count = codes.length;
      const deadline = performance.now() + waitMs;
      socket.write(frame(payload));
      while (codes.length === count && !closed && performance.now() < deadline)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      return codes[count] ?? (closed ? 'closed' : 'none');
    },
    close: () => socket.destroy(),
  };
}

/**
 * Hostile HL7 v2 over MLLP, many messages per connection: every frame must be
 * answered (AA, or AE/AR with the message quarantined,
 * docs/architecture.md#guarantee-7) within the limit; a frame over the
 * driver's size limit is quarantined and the connection closed.
 */
export const hl7Entry: EntryPoint = {
  name: 'hl7-mllp',
  limitMs: 10_000,
  network: true,
  async run({ gateway, count, seed }, counts) {
    const inputs = fc.sample(hostileMessage(seedMessages()), { numRuns: count, seed });
    let line = await mllpLine(gateway.hl7Port);
    for (const [index, raw] of inputs.entries()) {
      const payload = stripFraming(raw);
      if (line.closed()) line = await mllpLine(gateway.hl7Port);
      if (payload.length > maxFrameBytes) {
        // Too large to read: quarantined as a framing error with no ACK to give (there is no MSH
        // read to answer); the next message goes on a fresh connection.
        await line.exchange(payload, 2000).catch(() => undefined);
        line.close();
        line = await mllpLine(gateway.hl7Port);
        counts.inputs += 1;
        counts.refused += 1;
        counts.mustQuarantine += 1;
        continue;
      }
      const started = performance.now();
      let code: string;
      try {
        code = await within(line.exchange(payload), hl7Entry.limitMs + 5000, 'ACK');
      } catch {
        code = 'none';
        line.close();
      }
      counts.timed(index, performance.now() - started);
      counts.inputs += 1;
      if (code === 'AA') continue;
      counts.refused += 1;
      if (code === 'AE' || code === 'AR') counts.mustQuarantine += 1;
      else if (code !== 'none')
        counts.violations.push({
          round: index,
          guarantee: 'each HL7 message is answered AA, AE or AR',
          detail: `hl7 input ${index} (${payload.length} bytes) answered ${code}`,
        });
    }
    line.close();
  },
};
