import type { Aedes } from 'aedes';
import { GuardedConnection } from './guardedConnection.ts';
import type { LoginGuard } from './loginGuard.ts';

/** aedes' error when no CONNECT came within its `connectTimeout` (aedes lib/client.js). */
const connectTimedOut = 'connect did not arrive in time';

/**
 * A connection that sent no CONNECT in time was closed by aedes; it is
 * reported as a refused login of its address (GW_ERR_DEVICE_CONNECT_TIMEOUT),
 * tallied with the others so a port scan cannot fill the quarantine.
 */
export function watchConnectTimeouts(aedes: Aedes, guard: LoginGuard, timeoutMs: number): void {
  aedes.on('connectionError', (client, error) => {
    if (error.message !== connectTimedOut) return;
    const connection = client.conn as unknown;
    const address =
      (connection instanceof GuardedConnection ? connection.remoteAddress : undefined) ?? 'unknown';
    void guard.refused(
      'GW_ERR_DEVICE_CONNECT_TIMEOUT',
      address,
      address,
      `no CONNECT within ${timeoutMs} ms; the connection was closed`,
    );
  });
}
