import { connect, type Socket } from 'node:net';
import { waitFor } from './waitFor.ts';

const ENQ = 0x05;
const EOT = 0x04;

/** Records as an analyzer frames them (LIS2-A2): the same E1381 framing the gateway's sender uses. */
export { framesOfRecords } from '../../drivers/astm/astmSender.ts';

/**
 * One E1381 transmission from an analyzer that connects over TCP: ENQ, each
 * frame waiting for its answer, then EOT. Resolves with the gateway's answer
 * to the ENQ and to each frame (0x06 ACK, 0x15 NAK).
 */
export async function sendAstmOverTcp(port: number, frames: readonly Buffer[]): Promise<number[]> {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies: number[] = [];
  socket.on('data', (chunk: Buffer) => replies.push(...chunk));
  const exchange = async (bytes: Buffer) => {
    const count = replies.length;
    socket.write(bytes);
    await waitFor('the gateway to answer', () => replies.length > count, { timeoutMs: 20_000 });
    return replies[count]!;
  };
  const answers = [await exchange(Buffer.from([ENQ]))];
  for (const each of frames) answers.push(await exchange(each));
  await new Promise<void>((resolve) => socket.end(Buffer.from([EOT]), () => resolve()));
  return answers;
}
