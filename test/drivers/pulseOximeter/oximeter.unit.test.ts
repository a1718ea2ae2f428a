import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oximeterEvents, quietOximeter } from '../../../drivers/pulseOximeter/oximeterEvents.ts';
import { parseOximeterLine } from '../../../drivers/pulseOximeter/oximeterLine.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';

const context = {
  deviceId: 'oximeter-1',
  facility: { facilityId: 'f', tenantId: 't' },
  patientId: 'p-1',
  bed: 'B3',
  at: '2026-11-26T10:00:00.000Z',
  newId: uuidV7,
};
const masimo = (fields: string) => `03/19/16 13:37:12 SN=0000093112 ${fields}`;

describe('Nonin lines', () => {
  it('reads SpO2 and heart rate, in fast mode, with the event marker and the time prefix', () => {
    expect(parseOximeterLine('SPO2=097 HR=072')).toEqual({
      kind: 'reading',
      reading: { format: 'nonin', spo2: 97, pulseRate: 72 },
    });
    expect(parseOximeterLine('SPO2=089 HR=120 F')).toMatchObject({ reading: { spo2: 89, pulseRate: 120 } });
    expect(parseOximeterLine('SPO2=095 HR=080*')).toMatchObject({ reading: { eventMarker: true } });
    expect(parseOximeterLine('12:00:01 SPO2=095 HR=080')).toMatchObject({ reading: { spo2: 95 } });
  });

  it('reads --- as no reading', () => {
    expect(parseOximeterLine('SPO2=--- HR=---')).toEqual({ kind: 'reading', reading: { format: 'nonin' } });
    const { drafts } = oximeterEvents(quietOximeter, { format: 'nonin' }, context);
    expect(drafts).toEqual([]);
  });
});

describe('Masimo ASCII 1 lines', () => {
  it('reads SpO2, pulse rate, PI, alarm and exceptions', () => {
    const line = masimo(
      'SPO2=097% BPM=070 PI=01.86% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000800',
    );
    expect(parseOximeterLine(line)).toEqual({
      kind: 'reading',
      reading: {
        format: 'masimo-ascii1',
        spo2: 97,
        pulseRate: 70,
        perfusionIndex: 1.86,
        alarm: 0,
        exceptions: 0x800,
      },
    });
  });

  it('records no reading while the sensor is off, and says so once', () => {
    const off = parseOximeterLine(masimo('SPO2=000% BPM=000 PI=00.00% ALARM=0000 EXC=000020'));
    if (off.kind !== 'reading') throw new Error('not read');
    const first = oximeterEvents(quietOximeter, off.reading, context);
    expect(first.drafts.map((draft) => draft.eventType)).toEqual(['device_alert_triggered']);
    expect(first.drafts[0]!.data).toMatchObject({ alarmCode: 'masimo-sensor-off', kind: 'technical' });
    const second = oximeterEvents(first.state, off.reading, context);
    expect(second.drafts).toEqual([]);
  });

  it('records an alarm when it starts, and the reading with it', () => {
    const line = parseOximeterLine(masimo('SPO2=085% BPM=130 PI=01.00% ALARM=0012 EXC=000800'));
    if (line.kind !== 'reading') throw new Error('not read');
    const { drafts } = oximeterEvents(quietOximeter, line.reading, context);
    expect(drafts.map((draft) => draft.eventType)).toEqual([
      'vital_signs_recorded',
      'device_alert_triggered',
    ]);
    for (const draft of drafts) {
      const verdict = validateDraft(draft);
      expect(verdict.ok ? [] : verdict.issues).toEqual([]);
    }
    expect(drafts[0]!.data).toMatchObject({
      oxygenSaturation: { value: 85, unit: '%' },
      heartRate: { value: 130, unit: '/min' },
      bed: 'B3',
    });
  });
});

describe('any line', () => {
  it('refuses what is neither format, and impossible values', () => {
    expect(parseOximeterLine('hello')).toMatchObject({ kind: 'invalid' });
    expect(parseOximeterLine('SPO2=130 HR=080')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/not possible/),
    });
    expect(parseOximeterLine('\x00\xff\x13')).toMatchObject({ kind: 'invalid' });
    expect(parseOximeterLine('SPO2=097 HR=072', 'masimo-ascii1')).toMatchObject({ kind: 'invalid' });
  });

  it('never throws on random or mutated input, and reads a reading only from a line that has SPO2=', () => {
    const valid = fc.constantFrom(
      'SPO2=097 HR=072',
      masimo('SPO2=097% BPM=070 PI=01.86% ALARM=0000 EXC=000800'),
    );
    const mutated = fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([line, at, code]) => {
      const chars = [...line];
      chars[at % chars.length] = String.fromCharCode(code);
      return chars.join('');
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutated), (line) => {
        const verdict = parseOximeterLine(line);
        if (verdict.kind === 'reading') {
          expect(line.toUpperCase()).toContain('SPO2=');
          const { drafts } = oximeterEvents(quietOximeter, verdict.reading, context);
          for (const draft of drafts) expect(validateDraft(draft).ok).toBe(true);
        }
      }),
    );
  });
});
