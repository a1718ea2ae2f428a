import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { nilecareCli } from '../../test/harness/gatewayProcess.ts';
import type { EntryPoint } from './entryPoint.ts';
import { cliOutcomeViolation } from './inputInvariants.ts';

/**
 * Commands to try. `start` and `hub` are left out: with valid arguments they
 * run a server until stopped, which is their job, not a hang.
 */
const commands = [
  'verify',
  'replay',
  'devices',
  'devices add',
  'devices list',
  'devices revoke',
  'devices bind',
  'sync',
  'sync status',
  'backup',
  'restore',
  'provision',
  'doctor',
  'keys',
  'keys list',
  'keys rotate',
  'users',
  'users add',
  'users list',
  'help',
  'frobnicate',
];
const options = [
  '--data-dir',
  '--password',
  '--as-of',
  '--to',
  '--patient',
  '--bed',
  '--kind',
  '--username',
  '--name',
  '--role',
  '--out',
  '--cert',
  '--json',
  '-x',
  '--',
];

/** A word the CLI may meet, kept inside the scratch folder: no absolute path, no `..`, no home folder. */
const word = fc
  .oneof(
    fc.constantFrom(...options),
    fc.constantFrom(
      'data',
      'nurse',
      'p-1',
      '2026-13-45T99:00:00Z',
      '',
      ' ',
      '-1',
      '1e999',
      'آمنة',
      '\u0000x',
    ),
    fc.string({ maxLength: 20 }),
  )
  .map((text) =>
    text
      .split(String.fromCharCode(0))
      .join('')
      .replace(/^[/~]+/, '')
      .replace(/\.\./g, '_'),
  );

const invocation = fc
  .tuple(fc.constantFrom(...commands), fc.array(word, { maxLength: 6 }))
  .map(([command, rest]) => [...command.split(' '), ...rest]);

/**
 * The longest a command may take before it counts as hung, in milliseconds:
 * loading the TypeScript sources alone takes 2 s of CPU, over 10 s on a
 * machine as loaded as the shared build machine.
 */
const cliLimitMs = 120_000;

function runCli(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean; elapsedMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('NILECARE_')),
    );
    const child = spawn(process.execPath, [nilecareCli, ...args], {
      cwd,
      env: { ...env, NILECARE_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, cliLimitMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end();
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, elapsedMs: performance.now() - started });
    });
  });
}

/**
 * `nilecare <random arguments>`, each its own process in a scratch folder:
 * a success, or a coded error (docs/errors.md) and a non-zero exit; never a
 * stack trace, never a hang.
 */
export const cliEntry: EntryPoint = {
  name: 'cli-args',
  limitMs: cliLimitMs,
  network: false,
  async run({ count, seed, workDir }, counts) {
    const cwd = join(workDir, 'cli');
    mkdirSync(cwd, { recursive: true });
    const inputs = fc.sample(invocation, { numRuns: count, seed });
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const index = next++;
        const args = inputs[index]!;
        const result = await runCli(args, cwd);
        counts.timed(index, result.elapsedMs);
        counts.inputs += 1;
        if (result.code !== 0) counts.refused += 1;
        const violation = cliOutcomeViolation(args, result, index);
        if (violation) counts.violations.push(violation);
      }
    };
    await Promise.all(Array.from({ length: 2 }, worker));
  },
};
