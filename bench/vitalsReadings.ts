/**
 * What the benchmark devices publish on clinic/<facility>/devices/<id>/vitals:
 * the payload of gateway/broker/vitalsPayload.ts (docs/mqtt.md) with all six
 * measurements, like the demo ward's monitors. A normal reading scores 0 in
 * NEWS2; a critical one has SpO2 85 % (NEWS2 scale 1 red score: <= 91).
 */
export const criticalSpo2 = 85; // %
export const normalSpo2 = 97; // %, above 93 + 1 (warning threshold + hysteresis), so it resolves an SpO2 episode

export function vitalsReading(seq: number, critical: boolean, at = new Date()): string {
  return JSON.stringify({
    seq,
    timestamp: at.toISOString(),
    vitals: {
      spo2: { value: critical ? criticalSpo2 : normalSpo2, unit: '%' },
      heartRate: { value: 70 + (seq % 20), unit: '/min' },
      respiratoryRate: { value: 14 + (seq % 4), unit: '/min' },
      systolic: { value: 118 + (seq % 10), unit: 'mmHg' },
      diastolic: { value: 76 + (seq % 6), unit: 'mmHg' },
      temperature: { value: 36.8, unit: 'Cel' },
    },
  });
}

export function vitalsTopic(facilityId: string, deviceId: string): string {
  return `clinic/${facilityId}/devices/${deviceId}/vitals`;
}

export function benchDeviceId(index: number): string {
  return `bench-monitor-${String(index + 1).padStart(3, '0')}`;
}
