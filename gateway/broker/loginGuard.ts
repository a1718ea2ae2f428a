import type { BrokerContext } from './brokerContext.ts';
import { createHashingGate, type HashingGate } from './hashingGate.ts';
import { createLoginAttempts, type LoginAttemptLimits, type LoginAttempts } from './loginAttempts.ts';
import { createRefusalTally, type TalliedRefusals } from './refusalTally.ts';

/** How hard the broker lets devices try to log in (docs/mqtt.md#what-a-device-sees). */
export interface DeviceLoginLimits extends LoginAttemptLimits {
  /** Device passwords checked at once (hashingGate.ts). */
  concurrentChecks: number;
}

export const defaultDeviceLoginLimits: DeviceLoginLimits = {
  maxFailures: 10, // failed logins per source address and per device id
  windowMs: 60_000, // ms
  concurrentChecks: 2, // scrypt checks at once
};

/** Checks waiting for a turn, per check that may run: a flood is refused rather than queued without end. */
const waitingPerCheck = 16;

/** The throttle, the hashing gate and the tally of refusals that CONNECT shares with the connection timeout. */
export interface LoginGuard {
  attempts: LoginAttempts;
  gate: HashingGate;
  /**
   * A CONNECT (or a connection) refused: counted always; quarantined if it is
   * the first of its source and code in the window, and then resolves once
   * the row is committed. The others wait for the window's summary row.
   */
  refused(code: string, source: string, origin: string, reason: string): Promise<void>;
  /** Stops the window timer and quarantines what the open windows counted. */
  close(): void;
}

export function createLoginGuard(ctx: BrokerContext, limits: DeviceLoginLimits): LoginGuard {
  const { clock, metrics, logger, track, refuse } = ctx;
  const tally = createRefusalTally(limits.windowMs);
  const report = (windows: TalliedRefusals[]) => {
    for (const window of windows) {
      const span = `${new Date(window.from).toISOString()} to ${new Date(window.to).toISOString()}`;
      const reason = `${window.more} more refused from ${window.source} from ${span}; the last: ${window.lastReason}`;
      track(refuse(window.code, window.source.slice(0, 64), reason));
    }
  };
  const timer = setInterval(() => report(tally.due(clock().getTime())), limits.windowMs);
  timer.unref();

  return {
    attempts: createLoginAttempts(limits),
    gate: createHashingGate({
      concurrent: limits.concurrentChecks,
      waiting: limits.concurrentChecks * waitingPerCheck,
    }),
    async refused(code, source, origin, reason) {
      metrics.mqttConnectsRefused.inc({ reason: code });
      const before = tally.note(code, source, reason, clock().getTime());
      if (before === 0) return track(refuse(code, origin, reason));
      // Counted now, as a refusal that is quarantined is when its row commits; the window's
      // summary row then counts once more (docs/mqtt.md#logging-in-limits).
      metrics.eventsFailed.inc({ channel: 'mqtt', reason: code });
      logger.debug({ code, origin, reason }, 'device login refused; counted in its window');
    },
    close() {
      clearInterval(timer);
      report(tally.drain(clock().getTime()));
    },
  };
}
