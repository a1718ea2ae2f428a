import type { Logger } from 'pino';
import type { DeviceRegistry } from './deviceRegistry.ts';

/**
 * Disconnects devices revoked while the gateway runs, whoever revoked them
 * (`nilecare devices revoke` from another process writes the registry table):
 * the registry is read every `intervalMs` and each newly revoked device's
 * sessions are closed. Their credentials are already refused at CONNECT.
 */
export function watchRevocations(options: {
  registry: DeviceRegistry;
  disconnect: (deviceId: string) => number;
  intervalMs: number;
  logger: Logger;
}): { stop(): void } {
  const known = new Set(options.registry.revokedIds());
  const timer = setInterval(() => {
    try {
      for (const deviceId of options.registry.revokedIds()) {
        if (known.has(deviceId)) continue;
        known.add(deviceId);
        const sessions = options.disconnect(deviceId);
        options.logger.warn({ deviceId, sessions }, 'device revoked: disconnected');
      }
    } catch (error) {
      options.logger.error({ err: error }, 'could not read revoked devices');
    }
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
