import type { FastifyInstance } from 'fastify';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { DeviceDoc } from '../../projections/devices.ts';
import type { Device, DeviceList } from '../apiContract.ts';
import { deviceListReply } from '../contract/devices.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';

/** Registered devices with their connection state and when each was last heard from. */
export async function deviceRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  app.get<{ Reply: DeviceList }>(
    '/api/v1/devices',
    {
      config: { permission: 'devices.read' },
      schema: {
        tags: ['devices'],
        summary: 'Devices: registration, binding, connection state, last seen',
        response: { 200: deviceListReply, ...errorReplies(...signedIn) },
      },
    },
    async () => {
      const seen = new Map(services.projections.all<DeviceDoc>('devices').map((doc) => [doc.deviceId, doc]));
      const devices = services.registry.list().map((device): Device => {
        const state = seen.get(device.deviceId);
        return {
          ...device,
          connected: state?.connected ?? false,
          lastSeenAt: state?.lastSeenAt ?? null,
          readings: state?.readings ?? 0,
          disconnectReason: state?.disconnectReason ?? null,
          clockOffsetSeconds: state?.clockOffsetSeconds ?? null,
          implausibleClockReadings: state?.implausibleClockReadings ?? 0,
        };
      });
      return { devices };
    },
  );
}
