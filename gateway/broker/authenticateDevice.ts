import type { AedesOptions, AuthenticateError } from 'aedes';
import type { BrokerContext } from './brokerContext.ts';
import { type ConnectFacts, connectVerdict } from './connectVerdict.ts';
import { GuardedConnection } from './guardedConnection.ts';

type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;

/**
 * aedes' `authenticate`: gathers what the registry says of the CONNECT's
 * credential, asks connectVerdict.ts, and answers. Unknown devices, wrong
 * passwords and refused certificates are quarantined and counted like any
 * refused input (docs/mqtt.md#what-a-device-sees) before the CONNACK goes;
 * the password is never kept.
 */
export function authenticateDevice(ctx: BrokerContext): AuthenticateHandler {
  const { registry, sessions, track, refuse } = ctx;
  return (client, username, password, done) => {
    const connection = client.conn as unknown;
    const guarded = connection instanceof GuardedConnection ? connection : undefined;
    const connect = { clientId: client.id, username, remoteAddress: guarded?.remoteAddress };

    const answer = (facts: ConnectFacts) => {
      const verdict = connectVerdict(facts);
      if (!verdict.accept) {
        const error = new Error(verdict.reason) as AuthenticateError;
        error.returnCode = verdict.returnCode as AuthenticateError['returnCode'];
        track(refuse(verdict.code, verdict.origin, `refused at CONNECT: ${verdict.reason}`)).then(() =>
          done(error, null),
        );
        return;
      }
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
    registry.authenticate(username, password.toString('utf8')).then(
      (result) =>
        answer({
          ...connect,
          passwordCheck: result.ok
            ? { outcome: 'accepted', deviceId: username }
            : { outcome: 'refused', reason: result.reason },
        }),
      (error: Error) => answer({ ...connect, passwordCheck: { outcome: 'failed', message: error.message } }),
    );
  };
}
