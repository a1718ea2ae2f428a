import type { Logger } from 'pino';
import type { IdSource } from '../kernel/events/ids.ts';
import type { DriverMetrics } from './driverMetrics.ts';
import type { FacilityContext } from '../kernel/events/eventDraft.ts';
import type {
  GatewayServices,
  DeviceRegistry,
  ClinicalRecorder,
  LabOrderBook,
  SqliteDatabase,
} from '../gateway/pluginApi.ts';

/** Settings every serial port has, whatever its protocol (drivers.json `serialPorts[]`). */
export interface SerialPortConfig {
  /** /dev/ttyUSB0, /dev/serial/by-id/... (stable across re-plugging), or a pty link in tests. */
  path: string;
  protocol: string;
  deviceId: string;
  /** Bits per second. */
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
  stopBits: 1 | 1.5 | 2;
  /** Binds the device to a bed and/or a registered patient in the device registry. */
  bed?: string;
  patientId?: string;
}

/** Settings every TCP listener has (drivers.json `tcpListeners[]`). */
export interface TcpListenerConfig {
  protocol: string;
  /** The device that connects here; protocols that serve many senders may leave it out. */
  deviceId?: string;
  host: string;
  /** TCP port (0 picks a free one, for tests). */
  port: number;
  bed?: string;
  patientId?: string;
}

/** What a driver may use from the gateway: the one durable write path and the registry. */
export interface DriverContext {
  facility: FacilityContext;
  registry: DeviceRegistry;
  recorder: ClinicalRecorder;
  /** A patient id as a device carries it (patientId or MRN) → the registered patient's id. */
  findPatient: (carriedId: string) => string | undefined;
  /** A registered patient's MRN and name, for what an analyzer is told with an order (docs/devices.md#host-queries-and-orders-to-the-analyzer). */
  patientForInstrument: (
    patientId: string,
  ) => { mrn?: string; familyName?: string; givenName?: string } | undefined;
  /** The gateway's lab orders: host queries, order download, results linked to their order. */
  labOrders: LabOrderBook;
  /** The gateway's SQLite file, for a driver's own durable tables (the ASTM order outbox). */
  db: SqliteDatabase;
  newId: IdSource;
  clock: () => Date;
  metrics: DriverMetrics;
  logger: Logger;
}

/** Bytes back to the device, and what the connection is, for logs and device events. */
export interface DeviceLink {
  write(bytes: Buffer): Promise<void>;
  /** The serial path or "tcp <remote> -> <local port>". */
  describe: string;
  /** How the device is connected: quarantine rows and metrics name it as their channel. */
  transport: 'serial' | 'tcp';
  /**
   * Drops a TCP connection without an answer, so the sender retransmits later
   * (HL7 when a commit fails: MLLP has no NAK for "not stored"). Serial links have none.
   */
  hangUp?(): void;
}

/** One open connection to one device speaking one protocol. */
export interface ProtocolSession {
  receive(chunk: Buffer): void;
  /** Stops timers and waits for commits in flight. */
  close(): Promise<void>;
}

/**
 * A protocol the drivers file may name: the JSON Schema of its own options
 * (merged with the transport's), and how to open a session on a link. New
 * protocols (HL7 over MLLP, ...) register one of these in driverRegistry.ts.
 */
export interface ProtocolDriver {
  protocol: string;
  transports: readonly ('serial' | 'tcp')[];
  /** The registry kind of its devices ("lab-analyzer"). */
  deviceKind: string;
  /** What device_connected / device_disconnected say for a TCP connection ("astm-tcp"). */
  tcpTransport?: 'astm-tcp' | 'hl7-mllp';
  /** JSON Schema properties of the protocol's own options, and which are required. */
  optionProperties: Readonly<Record<string, unknown>>;
  requiredOptions?: readonly string[];
  /** Options another option needs (JSON Schema dependentRequired): an HL7 listener's `orderTo` needs its `deviceId`. */
  dependentRequired?: Readonly<Record<string, readonly string[]>>;
  /** Option defaults, applied after validation. */
  optionDefaults?: Readonly<Record<string, unknown>>;
  /**
   * Work for one configured port whether or not its device is connected
   * (ASTM order download: queue each order placed for the analyzer);
   * returns how to stop it.
   */
  watch?(
    config: Readonly<Record<string, unknown>> & { deviceId?: string },
    context: Pick<
      DriverContext,
      'db' | 'labOrders' | 'clock' | 'patientForInstrument' | 'facility' | 'metrics' | 'logger'
    >,
  ): () => void;
  openSession(
    link: DeviceLink,
    config: Readonly<Record<string, unknown>> & { deviceId?: string },
    context: DriverContext,
  ): ProtocolSession;
}

/** A problem the JSON Schema cannot see (an id given twice): the field, what is wrong, the value. */
export interface SectionProblem {
  field: string;
  message: string;
  received: unknown;
}

/** A top-level section of the drivers file that is not a list of ports (the GSM modem). */
export interface DriverSection {
  name: string;
  schema: Readonly<Record<string, unknown>>;
  /** Checks beyond the schema, on a value the schema accepted. */
  check?(config: unknown): SectionProblem | undefined;
  /** Defaults, applied after validation. */
  defaults?: Readonly<Record<string, unknown>>;
  start(
    config: unknown,
    context: DriverContext,
    services: GatewayServices,
  ): Promise<{ close(): Promise<void> }>;
}
