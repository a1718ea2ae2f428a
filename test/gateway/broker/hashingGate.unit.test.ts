import { describe, expect, it } from 'vitest';
import { createHashingGate } from '../../../gateway/broker/hashingGate.ts';

/** Work that finishes when the test says so (even before it starts), and reports whether it started. */
function heldWork() {
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const held = { started: false, finish };
  const work = () => {
    held.started = true;
    return finished;
  };
  return { held, work };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the device password checks', () => {
  it('run at most `concurrent` at once, the next starting as one finishes', async () => {
    const gate = createHashingGate({ concurrent: 2, waiting: 5 });
    const checks = Array.from({ length: 4 }, heldWork);
    const running = checks.map((check) => gate.run(check.work));
    await settle();
    expect(checks.map((check) => check.held.started)).toEqual([true, true, false, false]);
    checks[0]?.held.finish();
    await settle();
    expect(checks.map((check) => check.held.started)).toEqual([true, true, true, false]);
    for (const check of checks) check.held.finish();
    await Promise.all(running);
    expect(checks.every((check) => check.held.started)).toBe(true);
  });

  it('refuse at once, without running it, a check that finds the queue full', async () => {
    const gate = createHashingGate({ concurrent: 1, waiting: 1 });
    const [first, second, third, fourth] = Array.from({ length: 4 }, heldWork);
    const running = [gate.run(first!.work), gate.run(second!.work)];
    expect(gate.run(third!.work)).toBeUndefined();
    first?.held.finish();
    second?.held.finish();
    await Promise.all(running);
    expect(third?.held.started).toBe(false);
    // The queue is free again.
    fourth?.held.finish();
    await expect(gate.run(fourth!.work)).resolves.toBeUndefined();
    expect(fourth?.held.started).toBe(true);
  });

  it('free a slot when a check fails', async () => {
    const gate = createHashingGate({ concurrent: 1, waiting: 0 });
    await expect(gate.run(() => Promise.reject(new Error('database is locked')))).rejects.toThrow('locked');
    await expect(gate.run(() => Promise.resolve('checked'))).resolves.toBe('checked');
  });
});
