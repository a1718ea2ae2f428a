import { astmDriver } from './astm/astmDriver.ts';
import type { DriverSection, ProtocolDriver } from './driverTypes.ts';
import { pulseOximeterDriver } from './pulseOximeter/pulseOximeterDriver.ts';

/**
 * The protocols a drivers file may name, and its top-level sections beyond
 * `serialPorts` and `tcpListeners`. A new protocol is one entry here: its
 * options schema and its session factory (driverTypes.ts).
 */
export const protocolDrivers: ReadonlyMap<string, ProtocolDriver> = new Map(
  [astmDriver, pulseOximeterDriver].map((driver) => [driver.protocol, driver]),
);

export const driverSections: ReadonlyMap<string, DriverSection> = new Map();
