import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { PresentedCertificate } from '../devices/certificateLogin.ts';
import { createPacketSizeMeter, type MeterVerdict } from './packetSizeMeter.ts';

/**
 * A TCP connection as aedes sees it, with every inbound byte measured first:
 * a packet over the limit closes the connection before aedes buffers it.
 */
export class GuardedConnection extends Duplex {
  readonly socket: Socket;
  readonly remoteAddress: string | undefined;
  /** Set once the device authenticated, for reports about this connection. */
  deviceId: string | undefined;
  /** The client certificate a device presented over TLS, if any (see devices/certificateLogin.ts). */
  clientCertificate: PresentedCertificate | undefined;

  constructor(
    socket: Socket,
    maxPacketBytes: number,
    onRefused: (verdict: Exclude<MeterVerdict, { ok: true }>, connection: GuardedConnection) => void,
  ) {
    super({ allowHalfOpen: false });
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress;
    const meter = createPacketSizeMeter(maxPacketBytes);
    socket.on('data', (chunk: Buffer) => {
      const verdict = meter(chunk);
      if (!verdict.ok) {
        socket.pause();
        onRefused(verdict, this);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
