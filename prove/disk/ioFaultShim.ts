import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The errors a failing disk gives a commit: out of space, or an I/O error. */
export type IoFault = 'ENOSPC' | 'EIO';

/** The fault shim built for one campaign: the environment that loads it, and its switch. */
export interface IoFaultShim {
  /** LD_PRELOAD and the shim's control and hits files, for the gateway child process. */
  env: Record<string, string>;
  /** From now on, every write and sync of the event log and its WAL fails with `fault`. */
  inject(fault: IoFault): void;
  /** Writes and syncs go through again. */
  clear(): void;
  /** How many calls the shim has failed so far. */
  hits(): number;
}

const source = fileURLToPath(new URL('./ioFaultShim.c', import.meta.url));

/**
 * Compiles prove/disk/ioFaultShim.c with `cc` into `workDir` (the campaign
 * fails loudly when no C compiler is installed: it is never skipped).
 */
export function buildIoFaultShim(workDir: string): IoFaultShim {
  const library = join(workDir, 'ioFaultShim.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O2', '-Wall', '-o', library, source, '-ldl'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const control = join(workDir, 'io-fault');
  const hitsFile = join(workDir, 'io-fault-hits');
  return {
    env: { LD_PRELOAD: library, PROVE_IO_FAULT_CONTROL: control, PROVE_IO_FAULT_HITS: hitsFile },
    inject: (fault) => writeFileSync(control, fault),
    clear: () => rmSync(control, { force: true }),
    hits: () => (existsSync(hitsFile) ? statSync(hitsFile).size : 0),
  };
}
