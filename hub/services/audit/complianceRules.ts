/**
 * Compliance rules over the PHI access log (pure): who revealed national IDs,
 * how often and when. Thresholds are options (docs/hub.md, "Audit and compliance").
 */
export interface ComplianceRules {
  /** More reveals than this by one user within an hour is suspicious. */
  revealsPerHour: number;
  /** IANA time zone of the working day; Sudan has no daylight saving time. */
  timeZone: string;
  /** Working days, 0 = Sunday; Sudan's week runs Sunday to Thursday. */
  workingDays: number[];
  /** Working hours [start, end) in local hours, 0 to 24. */
  workdayStartHour: number;
  workdayEndHour: number;
}

export const defaultComplianceRules: ComplianceRules = {
  revealsPerHour: 20,
  timeZone: 'Africa/Khartoum',
  workingDays: [0, 1, 2, 3, 4],
  workdayStartHour: 7,
  workdayEndHour: 17,
};

export type RuleName = 'phi_reveal_burst' | 'phi_access_outside_hours';

export interface Finding {
  rule: RuleName;
  /** One violation per key, whatever the replays: a user's hour, or one access. */
  key: string;
  severity: 'low' | 'medium' | 'high';
  description: string;
}

export interface Access {
  eventId: string;
  userId: string;
  accessedAt: Date;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Weekday (0 = Sunday) and hour of the day (fractional) of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { weekday: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return {
    weekday: weekdays.indexOf(part('weekday')),
    hour: Number(part('hour')) + Number(part('minute')) / 60,
  };
}

/** An access outside the working days and hours of the rules' time zone. */
export function outsideWorkingHours(access: Access, rules: ComplianceRules): Finding | undefined {
  const { weekday, hour } = localTime(access.accessedAt, rules.timeZone);
  const working =
    rules.workingDays.includes(weekday) && hour >= rules.workdayStartHour && hour < rules.workdayEndHour;
  if (working) return undefined;
  return {
    rule: 'phi_access_outside_hours',
    key: access.eventId,
    severity: 'low',
    description: `User ${access.userId} read a national ID outside working hours (${weekdays[weekday]} ${String(Math.floor(hour)).padStart(2, '0')}h ${rules.timeZone})`,
  };
}

/**
 * Too many reveals by one user: `recentCount` is how many national IDs the
 * user read in the hour up to and including this access. One finding per
 * user and clock hour of the access, so a burst raises one violation, not
 * one per read.
 */
export function revealBurst(
  access: Access,
  recentCount: number,
  rules: ComplianceRules,
): Finding | undefined {
  if (recentCount <= rules.revealsPerHour) return undefined;
  const hour = access.accessedAt.toISOString().slice(0, 13);
  return {
    rule: 'phi_reveal_burst',
    key: `${access.userId}@${hour}`,
    severity: 'high',
    description: `User ${access.userId} read ${recentCount} national IDs within an hour (limit ${rules.revealsPerHour})`,
  };
}
