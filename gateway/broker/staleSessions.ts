import type { GatewayServices } from '../gatewayServices.ts';
import type { DeviceDoc } from '../projections/devices.ts';
import { deviceDisconnectedDraft } from '../../kernel/events/deviceSessionDrafts.ts';

/**
 * Devices the log still shows connected when the gateway starts lost their
 * session when it stopped without a clean shutdown (power cut, crash): record
 * that, so the device list does not show them connected until they return.
 */
export async function closeStaleSessions(services: GatewayServices): Promise<number> {
  const stale = services.projections.all<DeviceDoc>('devices').filter((device) => device.connected);
  const at = services.clock().toISOString();
  for (const device of stale) {
    await services.recorder.record({
      channel: 'internal',
      origin: device.deviceId,
      draft: deviceDisconnectedDraft(
        { deviceId: device.deviceId, transport: 'mqtt' },
        'connection_lost',
        at,
        services.facility,
        services.newId,
      ),
    });
  }
  return stale.length;
}
