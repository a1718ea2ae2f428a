import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ENQ, EOT, NAK } from '../../drivers/astm/astmFrame.ts';
import type { EntryPoint } from './entryPoint.ts';

/** The lab conformance corpus (test/data/astm, its README names each file's origin): real transmissions to mutate. */
function corpusTransmissions(): Buffer[] {
  const dir = fileURLToPath(new URL('../../test/data/astm/', import.meta.url));
  return readdirSync(dir)
    .filter((name) => name.endsWith('.astm'))
    .sort()
    .map((name) => readFileSync(`${dir}${name}`));
}

/** Streams an analyzer's line could carry: a real transmission with bytes changed, control characters at wrong times, other delimiters. */
const hostileStream = (seeds: readonly Buffer[]): fc.Arbitrary<{ bytes: Buffer; cuts: number[] }> =>
  fc
    .record({
      seed: fc.constantFrom(...seeds),
      enq: fc.boolean(),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      controls: fc.array(
        fc.tuple(fc.nat(), fc.constantFrom(ENQ, EOT, 0x02, 0x03, 0x17, 0x06, 0x15, 0x0d, 0x0a)),
        {
          maxLength: 4,
        },
      ),
      delimiters: fc.option(fc.string({ minLength: 4, maxLength: 4 }), { freq: 5 }),
      noise: fc.option(fc.uint8Array({ maxLength: 600 }), { freq: 8 }),
      cuts: fc.array(fc.nat(), { maxLength: 12 }),
    })
    .map(({ seed, enq, flips, controls, delimiters, noise, cuts }) => {
      if (noise !== null) return { bytes: Buffer.from(noise), cuts };
      const body = [...seed];
      // The H record's four delimiters follow "1H" of the first frame (LIS2-A2 7.1.2).
      const h = seed.indexOf('H');
      if (delimiters !== null && h >= 0)
        for (const [i, byte] of Buffer.from(delimiters, 'latin1').entries()) body[h + 1 + i] = byte;
      for (const [at, value] of flips) if (body.length > 0) body[at % body.length] = value;
      for (const [at, control] of controls) body.splice(at % (body.length + 1), 0, control);
      const bytes = Buffer.from([...(enq ? [ENQ] : []), ...body, EOT]);
      return { bytes, cuts: cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b) };
    });

/** Writes the stream in pieces cut at the given points, ends it, and resolves with the time from the end to the gateway's close. */
function sendStream(
  port: number,
  bytes: Buffer,
  cuts: readonly number[],
  giveUpMs: number,
): Promise<{ elapsedMs: number; naked: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    let ended = performance.now();
    let timer: NodeJS.Timeout | undefined;
    socket.on('error', () => undefined);
    let naked = false;
    socket.on('data', (chunk: Buffer) => {
      if (chunk.includes(NAK)) naked = true;
    });
    socket.once('connect', async () => {
      let from = 0;
      for (const cut of [...cuts, bytes.length]) {
        if (cut > from) socket.write(bytes.subarray(from, cut));
        from = Math.max(from, cut);
        await new Promise((next) => setImmediate(next));
      }
      ended = performance.now();
      socket.end();
      timer = setTimeout(() => socket.destroy(), giveUpMs);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ elapsedMs: performance.now() - ended, naked });
    });
  });
}

/** Connections open at once: an analyzer driver serves several. */
const parallel = 4;

/**
 * Hostile ASTM byte streams over TCP (drivers/astm, E1381 and LIS2-A2):
 * real transmissions with bytes flipped, ENQ/EOT/STX at wrong times, other
 * delimiters, or noise, written in pieces cut at random points. The gateway
 * must never crash, and must close each connection promptly once the
 * analyzer ends it; a stream answered with a NAK counts as refused. What it stores is checked by the campaign's catalogue check.
 */
export const astmEntry: EntryPoint = {
  name: 'astm-tcp',
  limitMs: 10_000,
  network: true,
  async run({ gateway, count, seed }, counts) {
    const inputs = fc.sample(hostileStream(corpusTransmissions()), { numRuns: count, seed });
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const index = next++;
        const { bytes, cuts } = inputs[index]!;
        const { elapsedMs, naked } = await sendStream(
          gateway.astmPort,
          bytes,
          cuts,
          astmEntry.limitMs + 5000,
        );
        counts.timed(index, elapsedMs);
        counts.inputs += 1;
        if (naked) counts.refused += 1;
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  },
};
