import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { DeviceDoc } from '../../projections/devices.ts';

/** Registered devices with their connection state and when each was last heard from. */
export async function deviceRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get(
    '/api/v1/devices',
    {
      config: { permission: 'devices.read' },
      schema: { tags: ['devices'], summary: 'Devices: registration, binding, connection state, last seen' },
    },
    async () => {
      const seen = new Map(services.projections.all<DeviceDoc>('devices').map((doc) => [doc.deviceId, doc]));
      const devices = services.registry.list().map((device) => {
        const state = seen.get(device.deviceId);
        return {
          ...device,
          connected: state?.connected ?? false,
          lastSeenAt: state?.lastSeenAt ?? null,
          readings: state?.readings ?? 0,
          disconnectReason: state?.disconnectReason ?? null,
        };
      });
      return { devices };
    },
  );
}
