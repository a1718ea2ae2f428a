import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoginThrottle, type LoginThrottle } from '../../../gateway/auth/loginThrottle.ts';
import { defaultSignInLimits } from '../../../gateway/auth/signInLimits.ts';
import { openDatabase, type SqliteDatabase } from '../../../gateway/eventStore/openDatabase.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { manualClock, type ManualClock } from '../../harness/injectedGateway.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let db: SqliteDatabase;
let clock: ManualClock;
let throttle: LoginThrottle;

const open = () => {
  db = openDatabase({ path: `${dir.path}/gateway.db` });
  throttle = createLoginThrottle(db, clock, uuidV7, defaultSignInLimits);
};
beforeEach(() => {
  dir = tempDataDir('nilecare-throttle-');
  clock = manualClock();
  open();
});
afterEach(() => {
  db.close();
  dir.remove();
});

describe('the sign-in throttle over the gateway database', () => {
  it('counts a reserved try as a failure at once, and stops the sixth for the name at that address', () => {
    for (let n = 0; n < 5; n += 1) expect(throttle.reserve('amna', '10.0.0.7').allowed).toBe(true);
    expect(throttle.reserve('amna', '10.0.0.7')).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 });
    // The same nurse at another tablet is not stopped.
    expect(throttle.reserve('amna', '10.0.0.8').allowed).toBe(true);
  });

  it('takes back the reservation of a try that succeeds, and forgets the name’s failures from that address', () => {
    for (let n = 0; n < 4; n += 1) throttle.reserve('amna', '10.0.0.7');
    const fifth = throttle.reserve('amna', '10.0.0.7');
    if (!fifth.allowed) throw new Error('the fifth try should be allowed');
    throttle.succeeded(fifth.attemptId, 'amna', '10.0.0.7');
    for (let n = 0; n < 5; n += 1)
      expect(throttle.reserve('amna', '10.0.0.7').allowed, `try ${n}`).toBe(true);
  });

  it('keeps its counts across a restart of the gateway (a new connection to the same file)', () => {
    for (let n = 0; n < 5; n += 1) throttle.reserve('amna', '10.0.0.7');
    db.close();
    open();
    expect(throttle.reserve('amna', '10.0.0.7').allowed).toBe(false);
    clock.advanceSeconds(15 * 60);
    expect(throttle.reserve('amna', '10.0.0.7').allowed).toBe(true);
  });

  it('deletes the rows that have left the window as new tries arrive', () => {
    for (let n = 0; n < 5; n += 1) throttle.reserve(`user-${n}`, '10.0.0.7');
    clock.advanceSeconds(15 * 60);
    throttle.reserve('amna', '10.0.0.9');
    const rows = db.prepare('SELECT count(*) AS n FROM sign_in_attempts').get() as { n: number };
    expect(rows.n).toBe(3);
  });
});
