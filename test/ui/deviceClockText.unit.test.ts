import { describe, expect, it } from 'vitest';
import { deviceClockText } from '../../ui/src/screens/deviceClockText.ts';

describe('the device clock column', () => {
  it('says nothing before the first reading, and "in step" within five seconds either way', () => {
    expect(deviceClockText(null)).toEqual({ key: 'devices.clockUnknown' });
    expect(deviceClockText(-2)).toEqual({ key: 'devices.clockInStep' });
    expect(deviceClockText(5)).toEqual({ key: 'devices.clockInStep' });
  });

  it('gives the offset ahead or behind in the largest whole unit', () => {
    expect(deviceClockText(40)).toEqual({
      key: 'devices.clockAhead',
      amount: 40,
      unit: 'devices.unitSeconds',
    });
    expect(deviceClockText(-3 * 3600)).toEqual({
      key: 'devices.clockBehind',
      amount: 3,
      unit: 'devices.unitHours',
    });
    // A monitor whose clock reset to 1970, read in 2026: about 20 600 days behind.
    const reset = (Date.parse('1970-01-01T00:00:00Z') - Date.parse('2026-06-01T00:00:00Z')) / 1000;
    expect(deviceClockText(reset)).toMatchObject({ key: 'devices.clockBehind', unit: 'devices.unitDays' });
  });
});
