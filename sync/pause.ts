/**
 * The engine's waits: backoff and bandwidth waits end only early on stop;
 * idle waits also end when an event is appended (`wake`). A wake that comes
 * while the engine is busy is remembered, so the next idle wait returns at once.
 */
export function createPause() {
  const waiting = new Set<{ wakeable: boolean; resolve: () => void; timer: NodeJS.Timeout }>();
  let wokenWhileBusy = false;
  let stopped = false;

  function finish(entry: { resolve: () => void; timer: NodeJS.Timeout }) {
    clearTimeout(entry.timer);
    waiting.delete(entry as never);
    entry.resolve();
  }

  return {
    /** Waits `ms`; with `wakeable`, returns early when woken. */
    wait(ms: number, { wakeable = false } = {}): Promise<void> {
      if (stopped) return Promise.resolve();
      if (wakeable && wokenWhileBusy) {
        wokenWhileBusy = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const entry = { wakeable, resolve, timer: setTimeout(() => finish(entry), Math.max(0, ms)) };
        waiting.add(entry);
      });
    },
    /** Forget earlier wakes: the caller is about to look for work itself. */
    clearWake(): void {
      wokenWhileBusy = false;
    },
    wake(): void {
      let woke = false;
      for (const entry of waiting) {
        if (!entry.wakeable) continue;
        finish(entry);
        woke = true;
      }
      if (!woke) wokenWhileBusy = true;
    },
    stop(): void {
      stopped = true;
      for (const entry of [...waiting]) finish(entry);
    },
  };
}
