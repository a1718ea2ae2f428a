import { SerialPort } from 'serialport';
import type { EventDraft } from '../kernel/events/envelope.ts';
import { deviceConnectedDraft, deviceDisconnectedDraft } from '../kernel/events/deviceSessionDrafts.ts';
import type { DriverContext, ProtocolDriver, ProtocolSession, SerialPortConfig } from './driverTypes.ts';

export interface ReopenPolicy {
  /** First wait before trying a port again, in milliseconds; doubles up to `maxMs`. */
  minMs: number;
  maxMs: number;
}

export const defaultReopenPolicy: ReopenPolicy = { minMs: 200, maxMs: 5_000 };

export interface RunningPort {
  readonly open: boolean;
  close(): Promise<void>;
}

/**
 * Keeps one serial port open for as long as the gateway runs: opens it,
 * hands its bytes to the protocol's session, and when it goes away (a USB
 * adapter unplugged, a cable pulled on a pty) records device_disconnected and
 * tries again with backoff until the path is back, then records
 * device_connected. A port missing at start is waited for the same way.
 */
export function runSerialPort(
  config: SerialPortConfig & Record<string, unknown>,
  driver: ProtocolDriver,
  context: DriverContext,
  policy: ReopenPolicy = defaultReopenPolicy,
): RunningPort {
  const { logger, metrics } = context;
  const log = logger.child({ deviceId: config.deviceId, protocol: config.protocol });
  let port: SerialPort | undefined;
  let session: ProtocolSession | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let waitMs = policy.minMs;
  let everOpened = false;
  let reportedMissing = false;
  const pendingEvents = new Set<Promise<unknown>>();

  function recordSessionEvent(draft: EventDraft): void {
    const done = context.recorder.record({ draft, channel: 'internal', origin: config.deviceId }).then(
      (outcome) => {
        if (outcome.status === 'quarantined')
          log.error({ code: outcome.code, reason: outcome.reason }, 'port event refused');
      },
      (error: Error) => log.error({ err: error, eventType: draft.eventType }, 'port event not recorded'),
    );
    pendingEvents.add(done);
    done.finally(() => pendingEvents.delete(done));
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(tryOpen, waitMs);
    waitMs = Math.min(waitMs * 2, policy.maxMs);
  }

  function tryOpen(): void {
    timer = undefined;
    if (stopped) return;
    const candidate = new SerialPort({
      path: config.path,
      baudRate: config.baudRate,
      dataBits: config.dataBits,
      parity: config.parity,
      stopBits: config.stopBits,
      autoOpen: false,
    });
    candidate.open((error) => {
      if (error) {
        // Logged once per outage, not at every poll: a port may be away for hours.
        if (!reportedMissing)
          log.warn(
            { code: 'GW_ERR_SERIAL_PORT', path: config.path, reason: error.message },
            'serial port not available; waiting for it',
          );
        reportedMissing = true;
        schedule();
        return;
      }
      if (stopped) {
        candidate.close();
        return;
      }
      attach(candidate);
    });
  }

  function attach(opened: SerialPort): void {
    port = opened;
    waitMs = policy.minMs;
    reportedMissing = false;
    if (everOpened) metrics.reopens.inc({ protocol: config.protocol });
    everOpened = true;
    metrics.portsOpen.inc({ protocol: config.protocol });
    log.info({ path: config.path }, 'serial port open');
    recordSessionEvent(
      deviceConnectedDraft(
        { deviceId: config.deviceId, transport: 'serial', port: config.path },
        context.clock().toISOString(),
        context.facility,
        context.newId,
      ),
    );
    const current = driver.openSession(
      {
        describe: config.path,
        transport: 'serial',
        write: (bytes) =>
          new Promise((resolve, reject) => {
            if (!opened.isOpen) return reject(new Error('serial port closed'));
            opened.write(bytes, (error) => (error ? reject(error) : opened.drain(() => resolve())));
          }),
      },
      config,
      context,
    );
    session = current;
    opened.on('data', (chunk: Buffer) => {
      // A parser fault must not take the gateway down with every other device (guarantee 7).
      try {
        current.receive(chunk);
      } catch (error) {
        log.error({ err: error }, 'driver failed on input; the input is dropped, the port stays open');
      }
    });
    opened.on('error', (error) => log.warn({ err: error.message }, 'serial port error'));
    opened.once('close', (error?: Error & { disconnected?: boolean }) => {
      metrics.portsOpen.dec({ protocol: config.protocol });
      session = undefined;
      port = undefined;
      void current.close();
      if (stopped) return;
      log.warn(
        { path: config.path, reason: error?.message },
        'serial port went away; reopening when it is back',
      );
      recordSessionEvent(
        deviceDisconnectedDraft(
          { deviceId: config.deviceId, transport: 'serial' },
          error?.disconnected ? 'unplugged' : 'connection_lost',
          context.clock().toISOString(),
          context.facility,
          context.newId,
        ),
      );
      schedule();
    });
  }

  tryOpen();
  let closing: Promise<void> | undefined;
  return {
    get open() {
      return port?.isOpen ?? false;
    },
    close() {
      closing ??= (async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        const open = port;
        const current = session;
        if (open?.isOpen) {
          await current?.close();
          await new Promise<void>((resolve) => open.close(() => resolve()));
          recordSessionEvent(
            deviceDisconnectedDraft(
              { deviceId: config.deviceId, transport: 'serial' },
              'gateway_shutdown',
              context.clock().toISOString(),
              context.facility,
              context.newId,
            ),
          );
        }
        await Promise.allSettled([...pendingEvents]);
      })();
      return closing;
    },
  };
}
