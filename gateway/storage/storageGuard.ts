import { statfs } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { SyncLane } from '../../kernel/events/eventTypeSpec.ts';
import {
  nextStorageState,
  refusingLanes,
  type StorageState,
  type StorageThresholds,
  storageStateValue,
} from './storageAdmission.ts';

/** What GET /health shows as `storage` (the nurse's screen shows a banner from it: keep the shape). */
export interface StorageSnapshot {
  state: StorageState;
  freeBytes: number;
  lowWaterBytes: number;
  criticalBytes: number;
  refusing: SyncLane[];
}

export interface StorageGuardOptions extends StorageThresholds {
  /** The data folder: its file system is the one measured. */
  dir: string;
  /** How often free space is measured (statfs), in milliseconds. */
  checkEveryMs: number;
  /** Measure again early once this many bytes were appended since the last measurement. */
  refreshAfterBytes: number;
  /** Bytes SQLite holds free inside its file (pruned pages), reused before the file grows. */
  reusableBytes?: () => number;
  /** Free bytes of `dir`'s file system; statfs unless a pure unit test injects another source. */
  freeSpace?: (dir: string) => Promise<number>;
  /** Frees space (prunes hub-acknowledged events); resolves with how many events it removed. */
  relieve?: () => Promise<number>;
  /** Sets the free-bytes and state gauges. */
  report?: (freeBytes: number, stateValue: number) => void;
  logger: Logger;
}

export interface StorageGuard {
  readonly state: StorageState;
  snapshot(): StorageSnapshot;
  /** Committed bytes (an estimate): lowers the free figure at once and measures again early. */
  noteAppended(bytes: number): void;
  /** Measures now. */
  refresh(): Promise<StorageSnapshot>;
  /** The first measurement, then one every `checkEveryMs`. */
  start(): Promise<void>;
  stop(): void;
}

async function statfsFree(dir: string): Promise<number> {
  const stats = await statfs(dir);
  // bavail, not bfree: blocks reserved for root are not ours to fill.
  return stats.bavail * stats.bsize;
}

/**
 * Watches the free space of the gateway's data folder (docs/architecture.md#guarantee-3)
 * so that the write path can refuse low-priority input before the disk is
 * full. The figure is cached: measured with statfs on a timer, and lowered by
 * an estimate as events are committed (measured again once enough was
 * appended), so recording an event never waits for a system call. Free space
 * counts the pages SQLite has free inside its file: pruning does not shrink
 * the file, but the next events reuse those pages.
 */
export function createStorageGuard(options: StorageGuardOptions): StorageGuard {
  const { logger } = options;
  const freeSpace = options.freeSpace ?? statfsFree;
  let state: StorageState = 'ok';
  let freeBytes = Number.POSITIVE_INFINITY;
  let appendedSince = 0;
  let measuring: Promise<StorageSnapshot> | undefined;
  let relieving = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const snapshot = (): StorageSnapshot => ({
    state,
    freeBytes: Number.isFinite(freeBytes) ? Math.max(0, Math.round(freeBytes)) : 0,
    lowWaterBytes: options.lowWaterBytes,
    criticalBytes: options.criticalBytes,
    refusing: refusingLanes(state),
  });

  function settle(free: number): void {
    freeBytes = free;
    const next = nextStorageState(state, free, options);
    options.report?.(Math.max(0, free), storageStateValue(next));
    if (next === state) return;
    const previous = state;
    state = next;
    const facts = { event: 'storage_state', previous, ...snapshot() };
    if (next === 'ok') logger.info(facts, 'disk space is back: accepting all input again');
    else if (next === 'low') logger.warn(facts, 'disk space low: refusing telemetry that raises no alert');
    else
      logger.error(
        facts,
        'disk space critical: accepting only alerts, acknowledgements and clinician actions',
      );
  }

  function relieveIfNeeded(): void {
    if (state === 'ok' || !options.relieve || relieving || stopped) return;
    relieving = true;
    options.relieve().then(
      (removed) => {
        relieving = false;
        if (removed > 0) void refresh();
      },
      (error: unknown) => {
        relieving = false;
        logger.error({ err: error }, 'could not free disk space by pruning acknowledged events');
      },
    );
  }

  function refresh(): Promise<StorageSnapshot> {
    measuring ??= (async () => {
      try {
        appendedSince = 0;
        const free = (await freeSpace(options.dir)) + (options.reusableBytes?.() ?? 0);
        settle(free);
      } catch (error) {
        logger.error({ err: error, dir: options.dir }, 'could not measure free disk space');
      } finally {
        measuring = undefined;
      }
      relieveIfNeeded();
      return snapshot();
    })();
    return measuring;
  }

  return {
    get state() {
      return state;
    },
    snapshot,
    noteAppended(bytes) {
      if (!Number.isFinite(freeBytes)) return;
      appendedSince += bytes;
      settle(freeBytes - bytes);
      if (appendedSince >= options.refreshAfterBytes && !stopped) void refresh();
    },
    refresh,
    async start() {
      await refresh();
      if (stopped) return;
      timer = setInterval(() => void refresh(), options.checkEveryMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
