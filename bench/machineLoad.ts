import { readFileSync } from 'node:fs';

/**
 * How busy the machine was with other work while a phase ran, so a figure
 * taken on a shared machine says so. Linux only (/proc): CPU time of the whole
 * machine minus this process and its finished children (the fleet and storage
 * processes), as a percentage of one core.
 */
export interface LoadSample {
  machineTicks: number;
  ownTicks: number;
  at: number;
}

const ticksPerSecond = 100; // USER_HZ on Linux

export function sampleLoad(): LoadSample | undefined {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .map(Number);
    const own = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ').map(Number);
    // After "pid (comm) ": field 3 is index 0, so utime (14), stime, cutime, cstime (17) are 11..14.
    const ownTicks = own[11]! + own[12]! + own[13]! + own[14]!;
    return {
      machineTicks: user! + nice! + system! + irq! + softirq! + steal!,
      ownTicks,
      at: performance.now(),
    };
  } catch {
    return undefined;
  }
}

/** CPU used by other processes between two samples, in % of one core (null off Linux). */
export function otherCpuPercent(from: LoadSample | undefined, to: LoadSample | undefined): number | null {
  if (!from || !to) return null;
  const otherSeconds = (to.machineTicks - from.machineTicks - (to.ownTicks - from.ownTicks)) / ticksPerSecond;
  return Math.max(0, Math.round((otherSeconds / ((to.at - from.at) / 1000)) * 100));
}
