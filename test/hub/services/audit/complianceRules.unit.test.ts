import { describe, expect, it } from 'vitest';
import {
  defaultComplianceRules,
  localTime,
  outsideWorkingHours,
  revealBurst,
} from '../../../../hub/services/audit/complianceRules.ts';

const access = (iso: string, userId = 'nurse-7') => ({
  eventId: `e-${iso}`,
  userId,
  accessedAt: new Date(iso),
});

describe('compliance rules over national-ID reads', () => {
  it('read the time in Khartoum (UTC+2, no daylight saving)', () => {
    expect(localTime(new Date('2024-10-08T05:30:00Z'), 'Africa/Khartoum')).toEqual({ weekday: 2, hour: 7.5 });
    expect(localTime(new Date('2024-07-01T22:00:00Z'), 'Africa/Khartoum')).toEqual({ weekday: 2, hour: 0 });
  });

  it('flag a read outside the working day, Sunday to Thursday 07:00 to 17:00', () => {
    expect(outsideWorkingHours(access('2024-10-08T05:30:00Z'), defaultComplianceRules)).toBeUndefined(); // Tue 07:30
    expect(outsideWorkingHours(access('2024-10-08T04:59:00Z'), defaultComplianceRules)?.rule).toBe(
      'phi_access_outside_hours',
    ); // Tue 06:59
    expect(outsideWorkingHours(access('2024-10-08T15:00:00Z'), defaultComplianceRules)).toBeDefined(); // Tue 17:00
    expect(outsideWorkingHours(access('2024-10-11T08:00:00Z'), defaultComplianceRules)).toBeDefined(); // Friday
    const custom = { ...defaultComplianceRules, workingDays: [5], workdayStartHour: 0, workdayEndHour: 24 };
    expect(outsideWorkingHours(access('2024-10-11T08:00:00Z'), custom)).toBeUndefined();
  });

  it('flag a user who reads more national IDs in an hour than allowed, once per user and hour', () => {
    const rules = { ...defaultComplianceRules, revealsPerHour: 3 };
    expect(revealBurst(access('2024-10-08T08:10:00Z'), 3, rules)).toBeUndefined();
    const finding = revealBurst(access('2024-10-08T08:10:00Z'), 4, rules);
    expect(finding).toMatchObject({
      rule: 'phi_reveal_burst',
      severity: 'high',
      key: 'nurse-7@2024-10-08T08',
    });
    expect(finding?.description).toContain('4 national IDs');
    expect(revealBurst(access('2024-10-08T08:50:00Z'), 9, rules)?.key).toBe(finding?.key);
    expect(revealBurst(access('2024-10-08T08:50:00Z', 'nurse-8'), 9, rules)?.key).not.toBe(finding?.key);
  });
});
