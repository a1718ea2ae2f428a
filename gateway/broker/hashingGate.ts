/**
 * At most `concurrent` device password checks at once, and at most `waiting`
 * queued behind them. scrypt runs on libuv's thread pool (4 threads unless
 * UV_THREADPOOL_SIZE says otherwise), which the users' sign-in hashes on too:
 * a flood of device logins must leave it threads to spare
 * (docs/security.md#d-person-or-entity-authentication).
 */
export interface HashingGateLimits {
  /** Device password checks hashing at once. */
  concurrent: number;
  /** Checks waiting for a turn; beyond that a login is refused unchecked. */
  waiting: number;
}

export interface HashingGate {
  /** Runs `work` in its turn; undefined, and `work` never runs, when the queue is full. */
  run<T>(work: () => Promise<T>): Promise<T> | undefined;
}

export function createHashingGate(limits: HashingGateLimits): HashingGate {
  let running = 0;
  const queue: (() => void)[] = [];
  // A finished check hands its slot to the first one waiting, or frees it.
  const next = () => {
    const waiter = queue.shift();
    if (waiter) waiter();
    else running -= 1;
  };
  return {
    run(work) {
      if (running < limits.concurrent) {
        running += 1;
        return Promise.resolve().then(work).finally(next);
      }
      if (queue.length >= limits.waiting) return undefined;
      return new Promise<void>((resolve) => queue.push(resolve)).then(work).finally(next);
    },
  };
}
