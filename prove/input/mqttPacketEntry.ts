import { connect } from 'node:net';
import fc from 'fast-check';
import { connectPacket } from '../../test/harness/rawMqttSocket.ts';
import type { EntryPoint } from './entryPoint.ts';
import { hostileDevice, mqttConnectTimeoutMs } from './inputGateway.ts';

/** Connections open at once. */
const parallel = 16;

/** A CONNECT ([MQTT-3.1]) with a known or unknown device's name, and a password that is wrong or right. */
const connectBytes = (password: string) =>
  fc
    .record({
      clientId: fc.oneof(fc.constant(hostileDevice), fc.string({ maxLength: 30 })),
      username: fc.oneof(fc.constant(hostileDevice), fc.string({ maxLength: 30 })),
      password: fc.oneof(fc.constant(password), fc.string({ maxLength: 30 })),
      keepaliveSeconds: fc.integer({ min: 0, max: 65535 }),
    })
    .map((fields) => connectPacket(fields));

/**
 * Raw bytes an MQTT listener must survive: a CONNECT cut short, with bytes
 * flipped, a Remaining Length that lies or runs past four bytes ([MQTT-2.2.3]),
 * another packet type first ([MQTT-3.1.0-1]), or noise.
 */
export const hostilePacket = (password: string): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.tuple(connectBytes(password), fc.nat()).map(([bytes, cut]) => bytes.subarray(0, cut % bytes.length)),
    fc
      .tuple(
        connectBytes(password),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      )
      .map(([bytes, flips]) => {
        const copy = Buffer.from(bytes);
        for (const [at, value] of flips) copy[at % copy.length] = value;
        return copy;
      }),
    fc
      .tuple(connectBytes(password), fc.uint8Array({ minLength: 1, maxLength: 5 }))
      .map(([bytes, length]) =>
        Buffer.concat([bytes.subarray(0, 1), Buffer.from(length), bytes.subarray(2)]),
      ),
    fc.constant(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f])),
    fc
      .tuple(fc.integer({ min: 0, max: 15 }), fc.uint8Array({ maxLength: 64 }))
      .map(([type, body]) =>
        Buffer.concat([Buffer.from([(type << 4) | 0x02, body.length]), Buffer.from(body)]),
      ),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  );

/** Writes the bytes on a fresh connection; resolves with the time to the close and whether a CONNACK accepted it. */
function sendRaw(
  port: number,
  bytes: Buffer,
  giveUpMs: number,
): Promise<{ elapsedMs: number; accepted: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let started = performance.now();
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), giveUpMs);
    const accepted = () => received.length >= 4 && received[0] === 0x20 && received[3] === 0;
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      started = performance.now();
      socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // An accepted session may stay open as long as its keep-alive: that is not a hang.
      if (accepted()) socket.destroy();
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ elapsedMs: performance.now() - started, accepted: accepted() });
    });
  });
}

/**
 * Malformed MQTT packets over TCP, each on its own connection: the gateway
 * must close every connection without a session within its connect timeout
 * (docs/mqtt.md). Refused logins are tallied per window, not one quarantine
 * row each (gateway/broker/refusalTally.ts), so no quarantine count is owed here.
 */
export const mqttPacketEntry: EntryPoint = {
  name: 'mqtt-packet',
  limitMs: mqttConnectTimeoutMs + 3000,
  network: true,
  async run({ gateway, count, seed }, counts) {
    const inputs = fc.sample(hostilePacket(gateway.devicePassword), { numRuns: count, seed });
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const index = next++;
        const { elapsedMs, accepted } = await sendRaw(
          gateway.process.mqttPort,
          inputs[index]!,
          mqttPacketEntry.limitMs + 5000,
        );
        if (!accepted) {
          counts.refused += 1;
          counts.timed(index, elapsedMs);
        }
        counts.inputs += 1;
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  },
};
