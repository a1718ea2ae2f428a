import { connect } from 'node:net';
import { deframe, frame } from './mllpFraming.ts';
import { readOrderAck, type SendOutcome } from './orderDelivery.ts';

export interface MllpPeer {
  host: string;
  port: number;
}

/**
 * Sends one message to a laboratory system as the MLLP client (HL7 2.5.1
 * Appendix C: VT message FS CR) on a connection of its own, and reads the
 * answer to it. Connection refused, a connection dropped, or no ACK within
 * `ackTimeoutMs` is "unanswered": the caller sends it again later.
 */
export function sendOverMllp(
  peer: MllpPeer,
  message: string,
  controlId: string,
  ackTimeoutMs: number,
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: peer.host, port: peer.port });
    let pending: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (outcome: SendOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ kind: 'unanswered', reason: `no ACK within ${ackTimeoutMs} ms` }),
      ackTimeoutMs,
    );
    socket.once('connect', () => socket.write(frame(message)));
    socket.on('data', (chunk) => {
      const result = deframe(pending, chunk, 1 << 20);
      pending = result.pending;
      const reply = result.items.find((item) => item.kind === 'frame');
      if (reply) finish(readOrderAck(reply.payload.toString('utf8'), controlId));
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'unanswered', reason: `connection failed (${error.code ?? 'error'})` }),
    );
    socket.once('close', () =>
      finish({ kind: 'unanswered', reason: 'the connection closed without an ACK' }),
    );
  });
}
