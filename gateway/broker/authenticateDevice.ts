import type { AedesOptions, AuthenticateError } from 'aedes';
import type { BrokerContext } from './brokerContext.ts';
import { type ConnectFacts, connectVerdict, type PasswordCheck } from './connectVerdict.ts';
import { GuardedConnection } from './guardedConnection.ts';
import type { LoginGuard } from './loginGuard.ts';

type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;

/**
 * aedes' `authenticate`: gathers what the registry says of the CONNECT's
 * credential, asks connectVerdict.ts, and answers. A password is checked only
 * if neither its source address nor its device id failed too often, and only
 * a few at a time (loginGuard.ts). Unknown devices, wrong passwords, refused
 * certificates and client ids are quarantined, once per source and window,
 * and counted each (docs/mqtt.md#what-a-device-sees) before the CONNACK goes;
 * the password is never kept.
 */
export function authenticateDevice(ctx: BrokerContext, guard: LoginGuard): AuthenticateHandler {
  const { registry, sessions, metrics, clock } = ctx;
  return (client, username, password, done) => {
    const connection = client.conn as unknown;
    const guarded = connection instanceof GuardedConnection ? connection : undefined;
    const remoteAddress = guarded?.remoteAddress;
    const connect = { clientId: client.id, username, remoteAddress };

    const answer = (facts: ConnectFacts, succeeded?: () => void) => {
      const verdict = connectVerdict(facts);
      if (!verdict.accept) {
        const error = new Error(verdict.reason) as AuthenticateError;
        error.returnCode = verdict.returnCode as AuthenticateError['returnCode'];
        const source = remoteAddress ?? verdict.origin;
        guard
          .refused(verdict.code, source, verdict.origin, `refused at CONNECT: ${verdict.reason}`)
          .then(() => done(error, null));
        return;
      }
      succeeded?.();
      sessions.set(client, {
        deviceId: verdict.deviceId,
        keepaliveTimedOut: false,
        willSent: false,
        protocolError: false,
      });
      if (guarded) guarded.deviceId = verdict.deviceId;
      done(null, true);
    };

    const presented = guarded?.clientCertificate;
    if (presented) {
      const holder = presented.authorized ? registry.byCertificate(presented.fingerprint256) : undefined;
      return answer({
        ...connect,
        certificate: presented,
        holder: holder && { deviceId: holder.deviceId, revoked: holder.revokedAt !== undefined },
      });
    }
    if (!username || !password) return answer({ ...connect, passwordCheck: undefined });

    const withCheck = (passwordCheck: PasswordCheck, succeeded?: () => void) =>
      answer({ ...connect, passwordCheck }, succeeded);
    // The attempt is reserved before anything is hashed, so a parallel burst cannot pass the count.
    const keys = [`address ${remoteAddress ?? 'unknown'}`, `device ${username}`];
    const reservation = guard.attempts.reserve(keys, clock().getTime());
    if (!reservation.ok) {
      const seconds = Math.ceil(reservation.retryAfterMs / 1000);
      return withCheck({
        outcome: 'throttled',
        reason: `too many failed logins (${reservation.key}); next try in ${seconds} s`,
      });
    }
    const checking = guard.gate.run(() => {
      metrics.mqttLoginChecks.inc();
      return registry.authenticate(username, password.toString('utf8'));
    });
    if (!checking) {
      reservation.succeeded(); // not a failure of this address or device: the gateway was busy
      return withCheck({ outcome: 'throttled', reason: 'too many logins waiting to be checked' });
    }
    checking.then(
      (result) =>
        withCheck(
          result.ok
            ? { outcome: 'accepted', deviceId: username }
            : { outcome: 'refused', reason: result.reason },
          reservation.succeeded,
        ),
      (error: Error) => withCheck({ outcome: 'failed', message: error.message }),
    );
  };
}
