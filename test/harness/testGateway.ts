import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import pino from 'pino';
import { type GatewayOptions, resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import { type Gateway, startGateway } from '../../gateway/gateway.ts';
import { tempDataDir } from './tempDataDir.ts';

export interface TestGateway extends Gateway {
  dataDir: string;
  /** Registers a device and returns its password. */
  addDevice(deviceId: string, binding?: { patientId?: string; bed?: string }): Promise<string>;
  /** Connects a real MQTT client over TCP (resolves on CONNACK, rejects on refusal). */
  connectDevice(deviceId: string, password: string, extra?: Partial<IClientOptions>): Promise<MqttClient>;
  vitalsTopic(deviceId: string): string;
  stop(): Promise<void>;
}

/**
 * A whole gateway in this process on free ports (HTTP and MQTT on 127.0.0.1)
 * over a fresh data folder: the real SQLite file, the real aedes broker.
 */
export async function startTestGateway(
  overrides: Partial<GatewayOptions> = {},
  clock: () => Date = () => new Date(),
): Promise<TestGateway> {
  const dir = tempDataDir();
  const options = resolveGatewayOptions({
    dataDir: dir.path,
    httpHost: '127.0.0.1',
    httpPort: 0,
    mqttHost: '127.0.0.1',
    mqttPort: 0,
    logLevel: 'silent',
    ...overrides,
  });
  const gateway = await startGateway(options, {
    clock,
    newId: uuidV7,
    logger: pino({ level: options.logLevel }),
  });
  const clients: MqttClient[] = [];
  return {
    ...gateway,
    dataDir: dir.path,
    async addDevice(deviceId, binding = {}) {
      const { password } = await gateway.services.registry.add({ deviceId, ...binding });
      return password;
    },
    connectDevice(deviceId, password, extra = {}) {
      return new Promise((resolve, reject) => {
        const client = mqtt.connect(`mqtt://127.0.0.1:${gateway.mqttPort}`, {
          clientId: deviceId,
          username: deviceId,
          password,
          reconnectPeriod: 0,
          connectTimeout: 5000,
          ...extra,
        });
        clients.push(client);
        client.once('connect', () => resolve(client));
        client.once('error', reject);
        client.once('close', () => reject(new Error(`connection of ${deviceId} closed before CONNACK`)));
      });
    },
    vitalsTopic: (deviceId) => `clinic/${gateway.services.facility.facilityId}/devices/${deviceId}/vitals`,
    async stop() {
      await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)));
      await gateway.close();
      dir.remove();
    },
  };
}
