import type { Client } from 'aedes';
import type { Logger } from 'pino';
import type { FacilityContext } from '../../kernel/events/eventDraft.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { DeviceRegistry } from '../devices/deviceRegistry.ts';
import { type GatewayError, isGatewayError } from '../errors.ts';
import type { GatewayMetrics } from '../metrics/gatewayMetrics.ts';
import type { ClinicalRecorder } from '../recording/clinicalRecorder.ts';

/** One authenticated device connection, as the broker's handlers see it. */
export interface Session {
  deviceId: string;
  /** Disconnected because the device was revoked. */
  revoked?: boolean;
  keepaliveTimedOut: boolean;
  willSent: boolean;
  protocolError: boolean;
}

/** What every handler of the device broker shares: the gateway's services, the sessions and the work in flight. */
export interface BrokerContext {
  facility: FacilityContext;
  registry: DeviceRegistry;
  /** Whether a patient is registered at this gateway (a reading from an unbound device may name one). */
  patientRegistered: (patientId: string) => boolean;
  recorder: ClinicalRecorder;
  newId: IdSource;
  clock: () => Date;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Largest MQTT packet accepted, in bytes; a larger one closes the connection. */
  maxPacketBytes: number;
  /** The session of each authenticated client, set when its CONNECT is accepted. */
  sessions: WeakMap<Client, Session>;
  /** Keeps `promise` among the work `close()` waits for. */
  track<T>(promise: Promise<T>): Promise<T>;
  /** Quarantines refused input with its reason and counts it once (docs/mqtt.md#what-a-device-sees). */
  refuse(reasonCode: string, origin: string, reason: string, raw?: Buffer): Promise<void>;
  /** Resolves when every tracked piece of work has settled. */
  settled(): Promise<void>;
}

export type BrokerServices = Pick<
  BrokerContext,
  | 'facility'
  | 'registry'
  | 'patientRegistered'
  | 'recorder'
  | 'newId'
  | 'clock'
  | 'metrics'
  | 'logger'
  | 'maxPacketBytes'
>;

export function createBrokerContext(services: BrokerServices): BrokerContext {
  const { recorder, metrics, logger } = services;
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    );
    return promise;
  }

  /**
   * The recorder counts a refusal in events_failed_total when the quarantine
   * row commits; only if that fails is it counted here, so each is counted once.
   */
  async function refuse(reasonCode: string, origin: string, reason: string, raw?: Buffer): Promise<void> {
    logger.warn({ code: reasonCode, origin, reason }, 'device input refused');
    try {
      await recorder.quarantine({ channel: 'mqtt', origin, reasonCode, reason, ...(raw ? { raw } : {}) });
    } catch (error) {
      metrics.eventsFailed.inc({ channel: 'mqtt', reason: reasonCode });
      logger.error({ err: error, code: reasonCode, origin }, 'refused input not quarantined');
    }
  }

  const { facility, registry, patientRegistered, newId, clock, maxPacketBytes } = services;
  return {
    facility,
    registry,
    patientRegistered,
    recorder,
    newId,
    clock,
    metrics,
    logger,
    maxPacketBytes,
    sessions: new WeakMap(),
    track,
    refuse,
    settled: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** The disk is too full to record: the device keeps its data and sends again (docs/operations.md). */
export function isDiskLow(error: unknown): error is GatewayError {
  return isGatewayError(error) && error.code === 'GW_ERR_DISK_LOW';
}
