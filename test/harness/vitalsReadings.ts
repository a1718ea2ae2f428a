/**
 * Device payloads for .../vitals as docs/mqtt.md describes them, built for
 * tests: a normal reading, and one with chosen measurements.
 */
export interface Measurement {
  value: number;
  unit: string;
}

export function vitalsPayload(
  seq: number,
  vitals: Record<string, Measurement> = normalVitals(),
  timestamp = new Date().toISOString(),
): string {
  return JSON.stringify({ seq, timestamp, vitals });
}

export function normalVitals(): Record<string, Measurement> {
  return {
    spo2: { value: 97, unit: '%' },
    heartRate: { value: 78, unit: '/min' },
    respiratoryRate: { value: 16, unit: '/min' },
    temperature: { value: 36.8, unit: 'Cel' },
  };
}

/** The log's de-duplication key of a device's vitals reading (gateway/broker/publishIngest.ts). */
export function vitalsDeviceKey(deviceId: string, seq: number): string {
  return `${deviceId}/vitals#${seq}`;
}
