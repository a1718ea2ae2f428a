import type { EventDraft } from '../../kernel/events/envelope.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import type { OximeterReading } from './oximeterLine.ts';
import { draftEnvelope, type FacilityContext } from '../../kernel/events/eventDraft.ts';

/**
 * Masimo exception bits (Rad-8 operator's manual, trend data format). Those
 * marked `noReading` mean the numbers on the line are not a measurement (a
 * sensor off the finger reads SpO2 000), so they are never recorded: a zero
 * would raise a false critical alert.
 */
export const masimoExceptions: readonly { bit: number; code: string; text: string; noReading: boolean }[] = [
  { bit: 0x001, code: 'no-sensor', text: 'No sensor', noReading: true },
  { bit: 0x002, code: 'defective-sensor', text: 'Defective sensor', noReading: true },
  { bit: 0x004, code: 'low-perfusion', text: 'Low perfusion', noReading: false },
  { bit: 0x008, code: 'pulse-search', text: 'Pulse search', noReading: true },
  { bit: 0x010, code: 'interference', text: 'Interference', noReading: false },
  { bit: 0x020, code: 'sensor-off', text: 'Sensor off', noReading: true },
  { bit: 0x040, code: 'ambient-light', text: 'Ambient light', noReading: false },
  { bit: 0x080, code: 'unrecognized-sensor', text: 'Unrecognized sensor', noReading: true },
  { bit: 0x400, code: 'low-signal-iq', text: 'Low signal IQ', noReading: false },
];
const noReadingMask = masimoExceptions.filter((e) => e.noReading).reduce((mask, e) => mask | e.bit, 0);
const knownExceptionMask = masimoExceptions.reduce((mask, e) => mask | e.bit, 0);

/** What the previous line said, so alarms and exceptions are recorded when they start, not every second. */
export interface OximeterState {
  alarm: number;
  exceptions: number;
}
export const quietOximeter: OximeterState = { alarm: 0, exceptions: 0 };

export interface OximeterContext {
  deviceId: string;
  facility: FacilityContext;
  patientId?: string;
  bed?: string;
  /** Gateway time the line arrived: a bedside oximeter's clock is rarely set, and the line is live. */
  at: string;
  newId: IdSource;
}

/** A reading line → the events to record (pure), and the state for the next line. */
export function oximeterEvents(
  state: OximeterState,
  reading: OximeterReading,
  context: OximeterContext,
): { state: OximeterState; drafts: EventDraft[] } {
  const drafts: EventDraft[] = [];
  const exceptions = (reading.exceptions ?? 0) & knownExceptionMask;
  const measuring = (exceptions & noReadingMask) === 0;
  const vitals = {
    ...(measuring && reading.spo2 !== undefined
      ? { oxygenSaturation: { value: reading.spo2, unit: '%' } }
      : {}),
    ...(measuring && reading.pulseRate !== undefined
      ? { heartRate: { value: reading.pulseRate, unit: '/min' } }
      : {}),
  };
  if (Object.keys(vitals).length > 0) {
    drafts.push({
      ...envelope('vital_signs_recorded', context),
      data: {
        method: 'device',
        deviceId: context.deviceId,
        ...(context.bed ? { bed: context.bed } : {}),
        measuredAt: context.at,
        ...vitals,
      },
    });
  }
  const alarm = reading.alarm ?? 0;
  if (alarm !== 0 && alarm !== state.alarm) {
    drafts.push(
      alertDraft(
        context,
        `masimo-alarm-${alarm.toString(16).padStart(4, '0')}`,
        'medium',
        undefined,
        'The oximeter raised an alarm',
      ),
    );
  }
  const started = exceptions & ~state.exceptions;
  for (const exception of masimoExceptions) {
    if ((started & exception.bit) !== 0)
      drafts.push(alertDraft(context, `masimo-${exception.code}`, 'low', 'technical', exception.text));
  }
  return { state: { alarm, exceptions }, drafts };
}

function envelope(eventType: string, context: OximeterContext) {
  return draftEnvelope({
    eventId: context.newId(),
    eventType,
    timestamp: context.at,
    facility: context.facility,
    patientId: context.patientId,
    source: gatewaySources.deviceIngest,
  });
}

function alertDraft(
  context: OximeterContext,
  alarmCode: string,
  priority: 'medium' | 'low',
  kind: 'technical' | undefined,
  description: string,
): EventDraft {
  return {
    ...envelope('device_alert_triggered', context),
    data: {
      deviceId: context.deviceId,
      alarmCode,
      description,
      priority,
      ...(kind ? { kind } : {}),
      triggeredAt: context.at,
    },
  };
}
