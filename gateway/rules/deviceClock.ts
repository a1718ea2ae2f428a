import type { EventDraft } from '../../kernel/events/envelope.ts';
import type { JsonObject } from '../../kernel/events/json.ts';

/** What makes a device's measurement time believable (gateway options deviceClockFloor, deviceClockAheadSeconds). */
export interface DeviceClockPolicy {
  /** No measurement is older than this instant: a clock reset to 1970 or 0001 reads before it. */
  floor: string;
  /** How far ahead of the gateway's clock a measurement time may be, in seconds. */
  aheadSeconds: number;
}

export const defaultDeviceClockPolicy: DeviceClockPolicy = {
  floor: '2020-01-01T00:00:00.000Z',
  aheadSeconds: 24 * 3600, // s: a day, more than any time-zone mistake
};

export type ImplausibleReason = 'before_floor' | 'before_registration' | 'ahead_of_gateway';

/** `metadata.deviceClockImplausible` of a reading whose measurement time cannot be right. */
export interface DeviceClockImplausible extends JsonObject {
  reason: ImplausibleReason;
  /** The measurement time as the device (or analyzer) wrote it. */
  measuredAt: string;
  /** The gateway's clock when it judged it. */
  receivedAt: string;
}

/** The measurement time of a reading or result, from the field its type keeps it in. */
export function measuredAtOf(eventType: string, data: JsonObject): string | undefined {
  const field =
    eventType === 'vital_signs_recorded'
      ? data.measuredAt
      : eventType === 'lab_result_available'
        ? data.observedAt
        : undefined;
  return typeof field === 'string' ? field : undefined;
}

/**
 * Why a measurement time cannot be right, or undefined when it can (pure):
 * before the floor, before the device was registered at this gateway, or
 * further ahead of the gateway's clock than the policy allows.
 */
export function implausibleClock(
  measuredAt: string,
  receivedAt: Date,
  policy: DeviceClockPolicy,
  registeredAt?: string,
): ImplausibleReason | undefined {
  const at = Date.parse(measuredAt);
  if (Number.isNaN(at) || at < Date.parse(policy.floor)) return 'before_floor';
  if (registeredAt !== undefined && at < Date.parse(registeredAt)) return 'before_registration';
  if (at > receivedAt.getTime() + policy.aheadSeconds * 1000) return 'ahead_of_gateway';
  return undefined;
}

/**
 * The draft as the log should keep it: a reading or lab result whose
 * measurement time is implausible is kept (nothing acknowledged is lost,
 * docs/architecture.md#guarantee-1) and flagged in `metadata.deviceClockImplausible`,
 * which the alert rules read (docs/architecture.md#alerts-follow-flags-and-measurement-time).
 */
export function withDeviceClockVerdict(
  draft: EventDraft,
  receivedAt: Date,
  policy: DeviceClockPolicy,
  registeredAtOf: (deviceId: string) => string | undefined,
): EventDraft {
  const measuredAt = measuredAtOf(draft.eventType, draft.data);
  if (measuredAt === undefined) return draft;
  const deviceId = draft.data.deviceId;
  const registeredAt = typeof deviceId === 'string' ? registeredAtOf(deviceId) : undefined;
  const reason = implausibleClock(measuredAt, receivedAt, policy, registeredAt);
  if (!reason) return draft;
  const verdict: DeviceClockImplausible = { reason, measuredAt, receivedAt: receivedAt.toISOString() };
  return { ...draft, metadata: { ...draft.metadata, deviceClockImplausible: verdict } };
}
