import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { deviceTopic } from '../broker/deviceTopics.ts';
import type { GatewayServices } from '../gatewayServices.ts';
import { draftFor } from '../http/draftFor.ts';
import type { PatientDoc } from '../projections/patients.ts';
import { stepVitals, typicalAdult, type WalkState } from './vitalsWalk.ts';

export interface SimulatedWard {
  stop(): Promise<void>;
}

export interface SimulatedWardOptions {
  services: GatewayServices;
  mqttPort: number;
  logger: Logger;
  /** Milliseconds between readings of each monitor. */
  intervalMs?: number;
  /** Chance per reading that an episode (desaturation, tachycardia) starts. */
  episodeChance?: number;
}

/** The demo ward: four patients, each on a bedside monitor that publishes over real MQTT. */
const demoBeds = [
  {
    patientId: 'demo-patient-1',
    bed: 'A1',
    firstName: 'Amna',
    lastName: 'Osman',
    sex: 'female',
    baseline: { ...typicalAdult },
  },
  {
    patientId: 'demo-patient-2',
    bed: 'A2',
    firstName: 'Yousif',
    lastName: 'Ibrahim',
    sex: 'male',
    baseline: { ...typicalAdult, heartRate: 88, systolic: 138 },
  },
  {
    patientId: 'demo-patient-3',
    bed: 'A3',
    firstName: 'Fatima',
    lastName: 'Abdalla',
    sex: 'female',
    baseline: { ...typicalAdult, spo2: 95, respiratoryRate: 19 },
  },
  {
    patientId: 'demo-patient-4',
    bed: 'A4',
    firstName: 'Omer',
    lastName: 'Hassan',
    sex: 'male',
    baseline: { ...typicalAdult, heartRate: 70, temperature: 37.4 },
  },
] as const;

export async function startSimulatedWard(options: SimulatedWardOptions): Promise<SimulatedWard> {
  const { services, logger, intervalMs = 2000, episodeChance = 0.01 } = options;
  const credentials = await ensureDemoSetup(services);
  const clients: MqttClient[] = [];
  const timers: NodeJS.Timeout[] = [];

  for (const [index, bed] of demoBeds.entries()) {
    const deviceId = `sim-monitor-${index + 1}`;
    const statusTopic = deviceTopic(services.facility.facilityId, deviceId, 'status');
    const client = mqtt.connect(`mqtt://127.0.0.1:${options.mqttPort}`, {
      clientId: deviceId,
      username: deviceId,
      password: credentials[deviceId]!,
      keepalive: 30,
      reconnectPeriod: 2000,
      will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: false },
    });
    client.on('error', (error) =>
      logger.warn({ deviceId, err: error.message }, 'simulated monitor connection error'),
    );
    clients.push(client);
    let state: WalkState = { vitals: { ...bed.baseline }, baseline: { ...bed.baseline } };
    let seq = Date.now();
    const publish = () => {
      if (!client.connected) return;
      state = stepVitals(state, Math.random, episodeChance);
      const v = state.vitals;
      seq += 1;
      const payload = {
        seq,
        timestamp: services.clock().toISOString(),
        vitals: {
          spo2: { value: v.spo2, unit: '%' },
          heartRate: { value: v.heartRate, unit: '/min' },
          respiratoryRate: { value: v.respiratoryRate, unit: '/min' },
          systolic: { value: v.systolic, unit: 'mmHg' },
          diastolic: { value: v.diastolic, unit: 'mmHg' },
          temperature: { value: v.temperature, unit: 'Cel' },
        },
      };
      client.publish(deviceTopic(services.facility.facilityId, deviceId, 'vitals'), JSON.stringify(payload), {
        qos: 1,
      });
    };
    // Spread the monitors over the interval so readings arrive steadily.
    timers.push(
      setTimeout(() => timers.push(setInterval(publish, intervalMs)), (intervalMs / demoBeds.length) * index),
    );
  }
  logger.info({ monitors: demoBeds.length, intervalMs }, 'simulated ward started');

  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(clients.map((client) => client.endAsync()));
    },
  };
}

/** Registers the demo patients, admits them to Ward A, and registers their monitors; idempotent. */
async function ensureDemoSetup(services: GatewayServices): Promise<Record<string, string>> {
  const credentialsPath = join(services.options.dataDir, 'simulator-devices.json');
  const credentials: Record<string, string> = existsSync(credentialsPath)
    ? JSON.parse(readFileSync(credentialsPath, 'utf8'))
    : {};
  for (const [index, bed] of demoBeds.entries()) {
    const { patientId } = bed;
    if (!services.projections.get<PatientDoc>('patients', patientId)) {
      const at = services.clock().toISOString();
      const encounterId = `demo-encounter-${index + 1}`;
      const context = { patientId, at, correlationId: encounterId };
      await services.recorder.record({
        channel: 'internal',
        origin: 'simulator',
        draft: draftFor(
          services,
          'patient_registered',
          {
            firstName: bed.firstName,
            lastName: bed.lastName,
            sex: bed.sex,
            sudanState: 'Khartoum',
            preferredLanguage: 'ar',
            registeredAt: at,
          },
          context,
        ),
        andThen: [
          draftFor(
            services,
            'encounter_created',
            { encounterId, encounterClass: 'inpatient', ward: 'Ward A', bed: bed.bed, startedAt: at },
            context,
          ),
          draftFor(
            services,
            'patient_admitted',
            { encounterId, ward: 'Ward A', bed: bed.bed, admittedAt: at },
            context,
          ),
        ],
      });
    }
    const deviceId = `sim-monitor-${index + 1}`;
    if (!services.registry.get(deviceId) || !credentials[deviceId]) {
      if (services.registry.get(deviceId)) continue;
      const { password } = await services.registry.add({
        deviceId,
        kind: 'simulated-vitals-monitor',
        patientId,
        bed: bed.bed,
      });
      credentials[deviceId] = password;
    }
  }
  writeFileSync(credentialsPath, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
