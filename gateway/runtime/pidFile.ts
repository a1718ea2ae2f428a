import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `<dataDir>/gateway.pid`: written by a running gateway, so offline commands can refuse to run under it. */
export function pidFilePath(dataDir: string): string {
  return join(dataDir, 'gateway.pid');
}

export function writePidFile(dataDir: string): () => void {
  const path = pidFilePath(dataDir);
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    // Only remove our own: a second gateway on the same folder may have written its pid.
    if (runningGatewayPid(dataDir) === process.pid) rmSync(path, { force: true });
  };
}

/** The pid of a gateway process alive on this data folder, if any (a stale pid file is ignored). */
export function runningGatewayPid(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFilePath(dataDir), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
