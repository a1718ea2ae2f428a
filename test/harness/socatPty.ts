import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end the gateway opens as its modem port. */
  gatewayPath: string;
  /** The end the modem peer opens. */
  peerPath: string;
  close(): Promise<void>;
}

/**
 * Two pseudo-terminals joined by socat, as a USB modem's tty and the modem
 * itself: real termios, real kernel buffering. Fails loudly without socat.
 */
export async function socatPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'nilecare-pty-'));
  const gatewayPath = join(dir, 'gateway');
  const peerPath = join(dir, 'modem');
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${gatewayPath}`, `pty,raw,echo=0,link=${peerPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let failed: Error | undefined;
  child.once('error', (error) => {
    failed = new Error(`socat could not start (apt-get install socat): ${error.message}`);
  });
  const deadline = Date.now() + 5000;
  while (!(existsSync(gatewayPath) && existsSync(peerPath))) {
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error('socat did not create the pseudo-terminal pair within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // A USB modem's tty stays while the gateway closes and reopens it. A pty whose last
  // holder closes makes socat read EIO and end the link, so the test holds one more
  // descriptor (never read) on the gateway's end for the life of the pair.
  const holder = openSync(gatewayPath, constants.O_RDWR | constants.O_NOCTTY);
  return {
    gatewayPath,
    peerPath,
    async close() {
      closeSync(holder);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
