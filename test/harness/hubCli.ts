import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './waitFor.ts';

const cli = join(import.meta.dirname, '..', '..', 'cli', 'nilecare.js');

export interface HubCli {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** `nilecare <args>` as a child process with JSON logs at warn, its output collected. */
export function startHubCli(args: string[], env: Record<string, string>): HubCli {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, NILECARE_LOG_FORMAT: 'json', NILECARE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** The /metrics port a started hub prints in its banner. */
export function hubBannerPort(hub: HubCli): Promise<string> {
  return waitFor(
    'the banner',
    () => /Metrics: +http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(hub.output.stderr)?.[1],
    { timeoutMs: 30_000, intervalMs: 100 },
  );
}
