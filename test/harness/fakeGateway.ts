import { GENESIS_HASH, chainHash, hashedBody } from '../../kernel/events/chainHash.ts';
import type { ClinicalEvent, EventDraft } from '../../kernel/events/envelope.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import type { JsonObject } from '../../kernel/events/json.ts';

type DraftFields = Partial<Omit<EventDraft, 'eventType' | 'data'>> & { eventType: string; data: JsonObject };

export interface FakeGateway {
  gatewayId: string;
  /** The next event of this gateway's chain: seq and hash as a real gateway makes them. */
  next(fields: DraftFields, options?: { recordedAt?: Date }): ClinicalEvent;
  vitals(patientId: string, heartRate: number, envelope?: Partial<DraftFields>): ClinicalEvent;
  deviceConnected(deviceId: string): ClinicalEvent;
  patientRegistered(patientId: string): ClinicalEvent;
}

/**
 * A gateway's log in miniature for hub tests: events numbered 1, 2, 3 ...
 * and hash-chained exactly as gateway/eventStore does (hash = SHA-256 of the
 * previous hash and the canonical body), so the hub must accept them.
 * `clockOffsetMs` sets the gateway clock ahead (+) or behind (-) the real one.
 */
export function fakeGateway(gatewayId: string, options: { clockOffsetMs?: number } = {}): FakeGateway {
  let seq = 0;
  let previousHash = GENESIS_HASH;
  const clock = () => new Date(Date.now() + (options.clockOffsetMs ?? 0));
  const facility = { facilityId: `facility-${gatewayId}`.slice(0, 64), tenantId: 'tenant-test' };

  const next = (fields: DraftFields, at: { recordedAt?: Date } = {}): ClinicalEvent => {
    seq += 1;
    const recordedAt = (at.recordedAt ?? clock()).toISOString();
    const body = {
      eventId: uuidV7(),
      timestamp: recordedAt,
      version: '1.0',
      ...facility,
      source: 'gateway-service',
      ...fields,
      gatewayId,
      seq,
      recordedAt,
    };
    const hash = chainHash(previousHash, hashedBody(body));
    previousHash = hash;
    return { ...body, hash };
  };

  return {
    gatewayId,
    next,
    vitals: (patientId, heartRate, envelope = {}) =>
      next({
        eventType: 'vital_signs_recorded',
        patientId,
        source: 'device-integration-service',
        data: {
          method: 'device',
          deviceId: 'monitor-1',
          measuredAt: clock().toISOString(),
          heartRate: { value: heartRate, unit: '/min' },
        },
        ...envelope,
      }),
    deviceConnected: (deviceId) =>
      next({
        eventType: 'device_connected',
        source: 'device-integration-service',
        data: { deviceId, transport: 'mqtt', connectedAt: clock().toISOString() },
      }),
    patientRegistered: (patientId) =>
      next({
        eventType: 'patient_registered',
        patientId,
        data: { firstName: 'Amna', lastName: 'Osman', sex: 'female', registeredAt: clock().toISOString() },
      }),
  };
}

/** A gateway id no other test uses. */
export function uniqueGatewayId(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 8)}`;
}
