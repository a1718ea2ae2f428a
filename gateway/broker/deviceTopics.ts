/**
 * The device topic convention (docs/mqtt.md):
 *   clinic/<facilityId>/devices/<deviceId>/vitals   a vital-signs reading (JSON, QoS 1)
 *   clinic/<facilityId>/devices/<deviceId>/alarms   an alarm raised by the device itself
 *   clinic/<facilityId>/devices/<deviceId>/status   online/offline, for a Last Will
 * A device publishes only under its own id and this gateway's facility.
 */
export type DeviceTopicKind = 'vitals' | 'alarms' | 'status';

export interface DeviceTopic {
  facilityId: string;
  deviceId: string;
  kind: DeviceTopicKind;
}

const kinds = new Set<string>(['vitals', 'alarms', 'status']);

export function parseDeviceTopic(topic: string): DeviceTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'clinic' || parts[2] !== 'devices') return undefined;
  const [, facilityId, , deviceId, kind] = parts as [string, string, string, string, string];
  if (!facilityId || !deviceId || !kinds.has(kind)) return undefined;
  return { facilityId, deviceId, kind: kind as DeviceTopicKind };
}

export function deviceTopic(facilityId: string, deviceId: string, kind: DeviceTopicKind): string {
  return `clinic/${facilityId}/devices/${deviceId}/${kind}`;
}

/** Why a device may not publish to a topic, or undefined when it may. */
export function topicRefusal(topic: string, deviceId: string, facilityId: string): string | undefined {
  const parsed = parseDeviceTopic(topic);
  if (!parsed) return 'not a device topic (clinic/<facilityId>/devices/<deviceId>/vitals|alarms|status)';
  if (parsed.facilityId !== facilityId) return `facility "${parsed.facilityId}" is not this gateway's`;
  if (parsed.deviceId !== deviceId) return 'a device may publish only under its own id';
  return undefined;
}
