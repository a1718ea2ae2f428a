import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { waitFor } from './waitFor.ts';

/**
 * A real pseudo-terminal pair made by `socat` (Debian package, installed by
 * .ci/run): what is written to one end comes out of the other, through the
 * kernel's tty layer, like a null-modem cable between two serial ports.
 * `gatewayPath` is given to the gateway's driver configuration; the test
 * opens `devicePath` and plays the device. `unplug()` kills socat, so both
 * links disappear as a USB serial adapter's node does when it is pulled out;
 * `plugIn()` makes them again under the same names.
 */
export interface PtyPair {
  gatewayPath: string;
  devicePath: string;
  unplug(): Promise<void>;
  plugIn(): Promise<void>;
  /** Stops socat and removes the folder; safe to call more than once. */
  close(): Promise<void>;
}

export async function createPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'nilecare-pty-'));
  const gatewayPath = join(dir, 'gateway-side');
  const devicePath = join(dir, 'device-side');
  let socat: ChildProcess | undefined;
  let stderr = '';

  async function plugIn(): Promise<void> {
    if (socat) return;
    stderr = '';
    const child = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${gatewayPath}`, `pty,raw,echo=0,link=${devicePath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) =>
        reject(new Error(`socat could not start (apt-get install socat): ${error.message}`)),
      );
    });
    socat = child;
    await Promise.race([
      failed,
      waitFor(
        `socat to create ${gatewayPath} and ${devicePath} (${stderr.trim()})`,
        () =>
          stderr.includes('starting data transfer loop') && existsSync(gatewayPath) && existsSync(devicePath),
      ),
    ]);
  }

  async function unplug(): Promise<void> {
    const child = socat;
    if (!child) return;
    socat = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await waitFor('the pty links to disappear', () => !existsSync(gatewayPath) && !existsSync(devicePath));
  }

  await plugIn();
  let closed = false;
  return {
    gatewayPath,
    devicePath,
    unplug,
    plugIn,
    async close() {
      if (closed) return;
      closed = true;
      await unplug();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The device's end of the pair, opened with serialport like any serial port,
 * with everything it receives kept in order so a test can wait for replies.
 */
export interface DeviceEnd {
  port: SerialPort;
  /** Every byte received so far. */
  received(): Buffer;
  /** Waits until `count` bytes more than `from` have arrived and returns them. */
  nextBytes(from: number, count: number, timeoutMs?: number): Promise<Buffer>;
  write(bytes: Buffer | string): Promise<void>;
  close(): Promise<void>;
}

export async function openDeviceEnd(path: string, baudRate = 9600): Promise<DeviceEnd> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  let received = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  port.on('error', () => undefined);
  return {
    port,
    received: () => received,
    async nextBytes(from, count, timeoutMs = 5000) {
      await waitFor(
        `${count} byte(s) from the gateway after byte ${from}`,
        () => received.length >= from + count,
        {
          timeoutMs,
        },
      );
      return received.subarray(from, from + count);
    },
    write(bytes) {
      return new Promise((resolve, reject) => {
        port.write(bytes, (error) => (error ? reject(error) : port.drain(() => resolve())));
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      });
    },
  };
}
