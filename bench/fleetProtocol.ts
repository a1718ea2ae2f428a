/** Commands the device fleet process (deviceFleet.ts) runs, and what it reports back. */
export interface FleetDevice {
  deviceId: string;
  /** Empty for the plain broker, which accepts anyone. */
  password: string;
  topic: string;
}

/** Publish as fast as PUBACKs allow, each device keeping `window` QoS 1 messages in flight. */
export interface FloodCommand {
  kind: 'flood';
  mqttUrl: string;
  devices: readonly FleetDevice[];
  warmupPerDevice: number;
  perDevice: number;
  window: number;
}

export interface FloodResult {
  kind: 'flood';
  acked: number;
  elapsedMs: number;
  /** CPU time of the fleet process while flooding, user + system. */
  cpuMs: number;
}

/** Where the critical readings are seen arriving: the gateway's SSE stream, or a subscriber on a plain broker. */
/** `cookie`: the signed-in session the live stream needs. */
export type AlertSource =
  | { kind: 'sse'; url: string; cookie: string }
  | { kind: 'mqtt'; url: string; topic: string };

/** Publish at a steady rate; every n-th reading of a device is critical; time each one to its arrival at `source`. */
export interface PacedCommand {
  kind: 'paced';
  mqttUrl: string;
  devices: readonly FleetDevice[];
  /** Readings per second per device. */
  ratePerDevice: number;
  durationMs: number;
  criticalEvery: number;
  /** How long to keep listening after the last reading, in milliseconds. */
  graceMs: number;
  source: AlertSource;
}

export interface PacedResult {
  kind: 'paced';
  sent: number;
  criticalSent: number;
  /** Publish to arrival of each critical reading that arrived, in milliseconds. */
  latenciesMs: number[];
  /** Arrivals that matched no critical reading sent (should be 0). */
  unmatched: number;
  /** Readings sent per second, as achieved. */
  achievedRate: number;
  cpuMs: number;
}

export type FleetCommand = FloodCommand | PacedCommand;
export type FleetResult = FloodResult | PacedResult;
