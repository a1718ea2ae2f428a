import type { Command } from 'commander';
import type { CheckResult } from '../doctor/doctorChecks.ts';
import { doctorExitCode } from '../doctor/doctorChecks.ts';
import { runDoctor } from '../doctor/doctorProbe.ts';
import { dataDirOption, optionsFrom } from './cliOptions.ts';

const marks = { ok: '✓', warn: '!', fail: '✗' } as const;

export function renderDoctor(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.name.length));
  return results
    .map((result) => {
      const head = `${marks[result.status]} ${result.name.padEnd(width)}  ${result.detail}`;
      return result.action ? `${head}\n  ${' '.repeat(width)}  → ${result.action}` : head;
    })
    .join('\n');
}

/** `nilecare doctor`: exit 2 when a check failed. */
export async function doctorCommand(flags: { dataDir?: string; json?: boolean }): Promise<void> {
  const options = optionsFrom(flags.dataDir ? { dataDir: flags.dataDir } : {});
  const results = await runDoctor(options, process.env, new Date());
  console.log(flags.json ? JSON.stringify(results, null, 2) : renderDoctor(results));
  process.exitCode = doctorExitCode(results);
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check disk, clock, ports, devices, hub reachability, the hash chain, keys and certificates')
    .addOption(dataDirOption())
    .option('--json', 'print the checks as JSON')
    .action(doctorCommand);
}
