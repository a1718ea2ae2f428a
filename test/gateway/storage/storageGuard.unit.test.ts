import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createStorageGuard, type StorageGuardOptions } from '../../../gateway/storage/storageGuard.ts';

/** A logger that keeps what it was told (pino's own levels and fields). */
function recordingLogger() {
  const lines: { level: number; event?: string; state?: string; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

function guardOver(free: { bytes: number }, extra: Partial<StorageGuardOptions> = {}) {
  const { logger, lines } = recordingLogger();
  let measured = 0;
  const guard = createStorageGuard({
    dir: '/data',
    lowWaterBytes: 1000,
    criticalBytes: 300,
    recoverMarginBytes: 100,
    checkEveryMs: 60_000,
    refreshAfterBytes: 200,
    // The only stand-in: the file system's answer (the int test fills a real tmpfs).
    freeSpace: async () => {
      measured += 1;
      return free.bytes;
    },
    logger,
    ...extra,
  });
  return { guard, lines, measurements: () => measured };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('storage guard', () => {
  it('logs each change of state once, not each measurement', async () => {
    const free = { bytes: 5000 };
    const { guard, lines } = guardOver(free);
    await guard.start();
    free.bytes = 900;
    await guard.refresh();
    await guard.refresh();
    free.bytes = 100;
    await guard.refresh();
    free.bytes = 5000;
    await guard.refresh();
    guard.stop();
    expect(lines.filter((line) => line.event === 'storage_state').map((line) => line.state)).toEqual([
      'low',
      'critical',
      'ok',
    ]);
  });

  it('lowers its figure as bytes are appended and measures again only after enough of them', async () => {
    const free = { bytes: 1200 };
    const { guard, measurements } = guardOver(free);
    await guard.start();
    expect(measurements()).toBe(1);
    guard.noteAppended(150);
    expect(guard.snapshot()).toMatchObject({ state: 'ok', freeBytes: 1050 });
    expect(measurements()).toBe(1);
    free.bytes = 950;
    guard.noteAppended(100); // 250 since the last measurement: measure again
    expect(guard.state).toBe('low'); // from the estimate, before the measurement answers
    await settle();
    expect(measurements()).toBe(2);
    expect(guard.snapshot()).toEqual({
      state: 'low',
      freeBytes: 950,
      lowWaterBytes: 1000,
      criticalBytes: 300,
      refusing: ['telemetry'],
    });
    guard.stop();
  });

  it('counts the space SQLite can reuse as free', async () => {
    const { guard } = guardOver({ bytes: 900 }, { reusableBytes: () => 400 });
    await guard.start();
    expect(guard.snapshot()).toMatchObject({ state: 'ok', freeBytes: 1300 });
    guard.stop();
  });

  it('asks for space to be freed while low, and measures again once something was pruned', async () => {
    const free = { bytes: 800 };
    let relieved = 0;
    const { guard } = guardOver(free, {
      relieve: async () => {
        relieved += 1;
        free.bytes = 2000;
        return 10;
      },
    });
    await guard.start();
    for (let tries = 0; tries < 10 && guard.state !== 'ok'; tries += 1) await settle();
    expect(relieved).toBe(1);
    expect(guard.state).toBe('ok');
    guard.stop();
  });

  it('reports free bytes and the state to the gauges', async () => {
    const reported: [number, number][] = [];
    const { guard } = guardOver({ bytes: 250 }, { report: (bytes, state) => reported.push([bytes, state]) });
    await guard.start();
    expect(reported).toEqual([[250, 2]]);
    guard.stop();
  });
});
