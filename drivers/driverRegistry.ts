import { astmDriver } from './astm/astmDriver.ts';
import type { DriverSection, ProtocolDriver } from './driverTypes.ts';
import { gsmModemSection } from './gsm/gsmModemSection.ts';
import { hl7Driver } from './hl7/hl7Driver.ts';
import { pulseOximeterDriver } from './pulseOximeter/pulseOximeterDriver.ts';

/**
 * The protocols a drivers file may name, and its top-level sections beyond
 * `serialPorts` and `tcpListeners` (the GSM modem). A new protocol is one entry here: its
 * options schema and its session factory (driverTypes.ts).
 */
export const protocolDrivers: ReadonlyMap<string, ProtocolDriver> = new Map(
  [astmDriver, pulseOximeterDriver, hl7Driver].map((driver) => [driver.protocol, driver]),
);

export const driverSections: ReadonlyMap<string, DriverSection> = new Map(
  [gsmModemSection].map((section) => [section.name, section]),
);
