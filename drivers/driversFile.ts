import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { compileSchema } from '../kernel/events/validateEvent.ts';
import type { DriverSection, ProtocolDriver, SerialPortConfig, TcpListenerConfig } from './driverTypes.ts';
import { GatewayError } from '../gateway/pluginApi.ts';

/** The drivers file, validated, with every default applied. */
export interface DriversConfig {
  file: string;
  serialPorts: (SerialPortConfig & Record<string, unknown>)[];
  tcpListeners: (TcpListenerConfig & Record<string, unknown>)[];
  /** Other registered sections (gsmModem, ...), as validated. */
  sections: Record<string, unknown>;
}

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };
const binding = { bed: { type: 'string', minLength: 1, maxLength: 32 }, patientId: id };

const serialProperties = {
  path: { type: 'string', minLength: 1, maxLength: 4096 },
  protocol: { type: 'string' },
  deviceId: id,
  baudRate: { type: 'integer', enum: [300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200] },
  dataBits: { type: 'integer', enum: [5, 6, 7, 8] },
  parity: { type: 'string', enum: ['none', 'even', 'odd', 'mark', 'space'] },
  stopBits: { type: 'number', enum: [1, 1.5, 2] },
  ...binding,
};
const serialDefaults = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

const tcpProperties = {
  protocol: { type: 'string' },
  deviceId: id,
  host: { type: 'string', minLength: 1, maxLength: 255 },
  port: { type: 'integer', minimum: 0, maximum: 65535 },
  ...binding,
};
const tcpDefaults = { host: '0.0.0.0' };

/** Where the drivers file is: NILECARE_DRIVERS_FILE (the `driversFile` option), else <dataDir>/drivers.json. */
export function driversFilePath(dataDir: string, driversFile: string | undefined): string {
  return driversFile ?? join(dataDir, 'drivers.json');
}

/** Entries the environment adds to the file's (the NILECARE_HL7_* and NILECARE_GSM_* shortcuts). */
export interface EnvironmentEntries {
  /** The variables they came from, named in errors. */
  variables: string[];
  tcpListeners: Record<string, unknown>[];
  /** Sections by name (`gsmModem`). */
  sections: Record<string, Record<string, unknown>>;
}

/**
 * Reads and validates the drivers file: a JSON object with `serialPorts` and
 * `tcpListeners` arrays (each entry names its `protocol`, whose own options
 * are validated by that protocol's schema) and any registered section. Every
 * error names the file, the field ("serialPorts[1].baudRate") and the value
 * received. Entries from the environment are appended to the file's and
 * validated with them. Returns undefined when there is neither file nor
 * environment entry: no drivers.
 */
export function loadDriversFile(
  file: string,
  protocols: ReadonlyMap<string, ProtocolDriver>,
  sections: ReadonlyMap<string, DriverSection>,
  fromEnvironment?: EnvironmentEntries,
): DriversConfig | undefined {
  const exists = existsSync(file);
  if (!exists && !fromEnvironment?.variables.length) return undefined;
  let parsed: unknown = {};
  if (exists)
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw invalid(file, '(file)', `is not JSON: ${(error as Error).message}`, undefined);
    }
  if (!fromEnvironment?.variables.length) return parseDriversConfig(file, parsed, protocols, sections);
  const label = `${exists ? file : '(none)'} with ${fromEnvironment.variables.join(', ')}`;
  return parseDriversConfig(label, withEnvironment(label, parsed, fromEnvironment), protocols, sections);
}

/**
 * The file's entries and then the environment's. A section (one GSM modem)
 * set in both is refused rather than one silently winning.
 */
export function withEnvironment(label: string, parsed: unknown, entries: EnvironmentEntries): unknown {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return parsed;
  const root = parsed as Record<string, unknown>;
  for (const name of Object.keys(entries.sections))
    if (root[name] !== undefined)
      throw invalid(label, name, 'is set both in the file and by the environment: keep one', undefined);
  const fileListeners = Array.isArray(root.tcpListeners) ? root.tcpListeners : [];
  return {
    ...root,
    ...(entries.tcpListeners.length > 0 ? { tcpListeners: [...fileListeners, ...entries.tcpListeners] } : {}),
    ...entries.sections,
  };
}

export function parseDriversConfig(
  file: string,
  parsed: unknown,
  protocols: ReadonlyMap<string, ProtocolDriver>,
  sections: ReadonlyMap<string, DriverSection>,
): DriversConfig {
  const top = {
    type: 'object',
    additionalProperties: false,
    properties: {
      $comment: { type: 'string' },
      serialPorts: { type: 'array', maxItems: 64, items: { type: 'object' } },
      tcpListeners: { type: 'array', maxItems: 64, items: { type: 'object' } },
      ...Object.fromEntries([...sections.values()].map((section) => [section.name, section.schema])),
    },
  };
  check(file, top, parsed, '');
  const root = parsed as {
    serialPorts?: Record<string, unknown>[];
    tcpListeners?: Record<string, unknown>[];
  };
  const serialPorts = (root.serialPorts ?? []).map((entry, index) =>
    entryOf(file, `serialPorts[${index}]`, entry, 'serial', protocols),
  ) as DriversConfig['serialPorts'];
  const tcpListeners = (root.tcpListeners ?? []).map((entry, index) =>
    entryOf(file, `tcpListeners[${index}]`, entry, 'tcp', protocols),
  ) as DriversConfig['tcpListeners'];
  const sectionValues: Record<string, unknown> = {};
  for (const section of sections.values()) {
    const value = (parsed as Record<string, unknown>)[section.name];
    if (value === undefined) continue;
    const problem = section.check?.(value);
    if (problem) throw invalid(file, problem.field, problem.message, problem.received);
    sectionValues[section.name] = { ...section.defaults, ...(value as Record<string, unknown>) };
  }
  refuseDuplicates(file, serialPorts, tcpListeners, sectionValues);
  return { file, serialPorts, tcpListeners, sections: sectionValues };
}

function entryOf(
  file: string,
  where: string,
  entry: Record<string, unknown>,
  transport: 'serial' | 'tcp',
  protocols: ReadonlyMap<string, ProtocolDriver>,
): Record<string, unknown> {
  const known = [...protocols.values()].filter((driver) => driver.transports.includes(transport));
  const driver = protocols.get(String(entry.protocol));
  if (!driver?.transports.includes(transport))
    throw invalid(
      file,
      `${where}.protocol`,
      `must be one of ${known.map((d) => `"${d.protocol}"`).join(', ')} on a ${transport === 'serial' ? 'serial port' : 'TCP listener'}`,
      entry.protocol,
    );
  const base = transport === 'serial' ? serialProperties : tcpProperties;
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: [
      ...new Set([
        ...(transport === 'serial' ? ['path', 'protocol', 'deviceId'] : ['protocol', 'port']),
        ...(driver.requiredOptions ?? []),
      ]),
    ],
    properties: { ...base, ...driver.optionProperties, protocol: { const: driver.protocol } },
    ...(driver.dependentRequired ? { dependentRequired: driver.dependentRequired } : {}),
  };
  check(file, schema, entry, where);
  return { ...(transport === 'serial' ? serialDefaults : tcpDefaults), ...driver.optionDefaults, ...entry };
}

function refuseDuplicates(
  file: string,
  serialPorts: DriversConfig['serialPorts'],
  tcpListeners: DriversConfig['tcpListeners'],
  sectionValues: Record<string, unknown>,
): void {
  const devices = new Map<string, string>();
  const seen = (key: string, where: string, map: Map<string, string>, value: unknown, what: string) => {
    const first = map.get(key);
    if (first) throw invalid(file, where, `${what} is already used by ${first}`, value);
    map.set(key, where);
  };
  const paths = new Map<string, string>();
  serialPorts.forEach((port, index) => {
    seen(port.path, `serialPorts[${index}].path`, paths, port.path, 'the path');
    seen(port.deviceId, `serialPorts[${index}].deviceId`, devices, port.deviceId, 'the device id');
  });
  // A section with a serial path (the GSM modem) must not share a port with a device.
  for (const [name, value] of Object.entries(sectionValues)) {
    const path = (value as { path?: unknown }).path;
    if (typeof path === 'string') seen(path, `${name}.path`, paths, path, 'the path');
  }
  const ports = new Map<string, string>();
  tcpListeners.forEach((listener, index) => {
    if (listener.port !== 0)
      seen(
        `${listener.host}:${listener.port}`,
        `tcpListeners[${index}].port`,
        ports,
        listener.port,
        'the port',
      );
    if (listener.deviceId)
      seen(listener.deviceId, `tcpListeners[${index}].deviceId`, devices, listener.deviceId, 'the device id');
  });
}

function check(file: string, schema: Record<string, unknown>, value: unknown, where: string): void {
  const validate = compileSchema(schema);
  if (validate(value)) return;
  const error = validate.errors![0]!;
  const path = fieldPath(where, error);
  throw invalid(file, path || '(file)', error.message ?? 'is invalid', valueAt(value, error));
}

function fieldPath(where: string, error: ErrorObject): string {
  const pointer = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
  const extra =
    (error.params as { additionalProperty?: string; missingProperty?: string }).additionalProperty ??
    (error.params as { missingProperty?: string }).missingProperty;
  const full = `${where}${pointer}${extra ? `.${extra}` : ''}`;
  return full.replace(/^\./, '');
}

function valueAt(value: unknown, error: ErrorObject): unknown {
  return error.instancePath
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);
}

function invalid(file: string, field: string, message: string, received: unknown): GatewayError {
  return new GatewayError('GW_ERR_DRIVERS_CONFIG_INVALID', [
    file,
    field,
    message,
    received === undefined ? 'nothing' : withoutPhoneNumbers(field, received),
  ]);
}

/** On-call phone numbers never reach a log line, even a wrong one: their digits are shown as "#". */
function withoutPhoneNumbers(field: string, received: unknown): string {
  const mask = (value: unknown) => (typeof value === 'string' ? value.replace(/[0-9]/g, '#') : value);
  if (/\.phone$/.test(field)) return JSON.stringify(mask(received));
  return JSON.stringify(received, (key, value: unknown) => (key === 'phone' ? mask(value) : value));
}
