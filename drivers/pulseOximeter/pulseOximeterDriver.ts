import type { DeviceLink, DriverContext, ProtocolDriver, ProtocolSession } from '../driverTypes.ts';
import { type OximeterState, oximeterEvents, quietOximeter } from './oximeterEvents.ts';
import { type OximeterFormat, parseOximeterLine } from './oximeterLine.ts';

/** Longest line kept, in bytes; a Masimo ASCII 1 line is about 200. */
const MAX_LINE_BYTES = 512;

/** Pulse oximeters that print a line a second on their serial port (docs/devices.md). */
export const pulseOximeterDriver: ProtocolDriver = {
  protocol: 'pulse-oximeter',
  transports: ['serial'],
  deviceKind: 'pulse-oximeter',
  optionProperties: {
    /** Which line format to accept; `auto` accepts both. */
    format: { type: 'string', enum: ['auto', 'nonin', 'masimo-ascii1'] },
  },
  optionDefaults: { format: 'auto' },
  openSession(link, config, context) {
    return openOximeterSession(
      link,
      { deviceId: String(config.deviceId), format: config.format as OximeterFormat | 'auto' },
      context,
    );
  },
};

function openOximeterSession(
  _link: DeviceLink,
  options: { deviceId: string; format: OximeterFormat | 'auto' },
  context: DriverContext,
): ProtocolSession {
  const { recorder, metrics } = context;
  const log = context.logger.child({ deviceId: options.deviceId, protocol: 'pulse-oximeter' });
  let state: OximeterState = quietOximeter;
  let line = '';
  const inFlight = new Set<Promise<unknown>>();

  function track(promise: Promise<unknown>): void {
    inFlight.add(promise);
    promise.finally(() => inFlight.delete(promise));
  }

  function refuse(raw: string, reason: string): void {
    metrics.frames.inc({ protocol: 'pulse-oximeter', outcome: 'refused' });
    log.warn({ code: 'GW_ERR_OXIMETER_LINE_INVALID', reason }, 'pulse oximeter line refused');
    track(
      recorder
        .quarantine({
          channel: 'serial',
          origin: options.deviceId,
          reasonCode: 'GW_ERR_OXIMETER_LINE_INVALID',
          reason,
          raw: Buffer.from(raw, 'latin1'),
        })
        .catch((error: Error) => log.error({ err: error }, 'refused line not quarantined')),
    );
  }

  function handleLine(text: string): void {
    const verdict = parseOximeterLine(text, options.format);
    if (verdict.kind === 'blank') return;
    if (verdict.kind === 'invalid') {
      refuse(text, verdict.reason);
      return;
    }
    metrics.frames.inc({ protocol: 'pulse-oximeter', outcome: 'accepted' });
    const binding = context.registry.get(options.deviceId);
    const step = oximeterEvents(state, verdict.reading, {
      deviceId: options.deviceId,
      facility: context.facility,
      ...(binding?.patientId ? { patientId: binding.patientId } : {}),
      ...(binding?.bed ? { bed: binding.bed } : {}),
      at: context.clock().toISOString(),
      newId: context.newId,
    });
    state = step.state;
    for (const draft of step.drafts) {
      track(
        recorder.record({ draft, channel: 'serial', origin: options.deviceId, raw: text }).then(
          (outcome) => {
            if (outcome.status === 'quarantined')
              log.warn({ code: outcome.code }, 'pulse oximeter reading quarantined');
            else
              metrics.results.inc({
                protocol: 'pulse-oximeter',
                patient: binding?.patientId ? 'matched' : 'unmatched',
              });
          },
          (error: Error) => log.error({ err: error }, 'pulse oximeter reading not recorded'),
        ),
      );
    }
  }

  return {
    receive(chunk) {
      for (const char of chunk.toString('latin1')) {
        if (char === '\r' || char === '\n') {
          handleLine(line);
          line = '';
        } else if (line.length >= MAX_LINE_BYTES) {
          refuse(line, `line longer than ${MAX_LINE_BYTES} bytes without an end`);
          line = char;
        } else {
          line += char;
        }
      }
    },
    async close() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
