import { describe, expect, it } from 'vitest';
import { resolveGatewayOptions } from '../../../gateway/config/gatewayOptions.ts';
import { parseShiftChanges, shiftStartOf } from '../../../gateway/handover/shiftStart.ts';

const dayAndNight = parseShiftChanges('07:00,19:00');

describe('the start of the current shift (Khartoum, UTC+2)', () => {
  it('is 07:00 local for a time during the day shift', () => {
    // 10:20 in Khartoum.
    expect(shiftStartOf(new Date('2026-11-26T08:20:00Z'), dayAndNight, 'Africa/Khartoum').toISOString()).toBe(
      '2026-11-26T05:00:00.000Z',
    );
  });

  it('is 19:00 local for a time during the evening of the night shift', () => {
    expect(shiftStartOf(new Date('2026-11-26T20:00:00Z'), dayAndNight, 'Africa/Khartoum').toISOString()).toBe(
      '2026-11-26T17:00:00.000Z',
    );
  });

  it("is yesterday's 19:00 local after midnight, before the morning change", () => {
    // 03:30 in Khartoum on the 27th.
    expect(shiftStartOf(new Date('2026-11-27T01:30:00Z'), dayAndNight, 'Africa/Khartoum').toISOString()).toBe(
      '2026-11-26T17:00:00.000Z',
    );
  });

  it('begins exactly at the change', () => {
    expect(shiftStartOf(new Date('2026-11-26T05:00:00Z'), dayAndNight, 'Africa/Khartoum').toISOString()).toBe(
      '2026-11-26T05:00:00.000Z',
    );
  });

  it('follows three eight-hour shifts in another time zone', () => {
    const three = parseShiftChanges('22:00, 06:00,14:00');
    expect(three).toEqual([360, 840, 1320]);
    // 15:10 in Cairo in winter (UTC+2), 16:10 in Riyadh (UTC+3).
    expect(shiftStartOf(new Date('2026-11-26T13:10:00Z'), three, 'Asia/Riyadh').toISOString()).toBe(
      '2026-11-26T11:00:00.000Z',
    );
  });
});

describe('the shift options', () => {
  it('refuses a time that is not HH:MM, naming the option', () => {
    expect(() => parseShiftChanges('7am,19:00')).toThrow(/shiftChanges/);
    expect(() => parseShiftChanges('24:00')).toThrow(/shiftChanges/);
  });

  it('are checked when the gateway reads its options, not at the first handover', () => {
    expect(() => resolveGatewayOptions({ shiftChanges: '7am' })).toThrow(/shiftChanges/);
    expect(() => resolveGatewayOptions({ shiftTimezone: 'Africa/Nowhere' })).toThrow(/shiftTimezone/);
    expect(resolveGatewayOptions({ shiftChanges: '06:00,14:00,22:00' }).shiftChanges).toBe(
      '06:00,14:00,22:00',
    );
  });
});
