/**
 * Whether an MQTT client id belongs to a device (pure). MQTT 3.1.1 leaves the
 * allowed ids to the server (section 3.1.3.1) and a new session with an id in
 * use ends the old one [MQTT-3.1.4-2]; so an id free for all would let any
 * registered device knock another off (docs/mqtt.md#client-ids). A device's
 * ids are its device id, or its device id then "/" and anything: device ids
 * never hold "/" (devices/deviceRegistry.ts), so no two devices share an id,
 * where "-" (allowed in a device id) would let `monitor` take `monitor-2`.
 */
export function clientIdBelongsTo(clientId: string, deviceId: string): boolean {
  return clientId === deviceId || clientId.startsWith(`${deviceId}/`);
}
