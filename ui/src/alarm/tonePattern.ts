/**
 * Auditory alarm signals in the manner of IEC 60601-1-8:2006+A1:2012, table 3:
 * a high-priority burst is 10 pulses (3, 2, pause, 3, 2), a medium-priority
 * burst 3 pulses; bursts repeat while an alarm stands unacknowledged. The
 * figures below sit inside the standard's ranges (in milliseconds):
 *
 * | | pulse duration td | pulse spacing ts | between pulse 5 and 6 | burst interval tb |
 * |---|---|---|---|---|
 * | high (75–200, 50–125, 350–1300, 2500–15000) | 150 | 100 | 1000 | 10000 |
 * | medium (125–250, 125–250, –, 2500–30000) | 200 | 200 | – | 25000 |
 *
 * The pulse itself (fundamental and harmonics, rise time 10–20 % of td) is in alarmTone.ts.
 */
export type AlarmPriority = 'high' | 'medium';

export interface TonePulse {
  /** From the start of the burst, in milliseconds. */
  startMs: number;
  durationMs: number;
}

export interface BurstPlan {
  pulses: TonePulse[];
  /** From the start of one burst to the start of the next while the alarm stands, in milliseconds. */
  repeatEveryMs: number;
  /** Fundamental frequency of each pulse, in hertz (IEC 60601-1-8: 150 to 1000 Hz). */
  fundamentalHz: number;
}

export function burstPlan(priority: AlarmPriority): BurstPlan {
  if (priority === 'high') {
    const td = 150;
    const ts = 100;
    // Pulses 1-3 spaced ts; 3 to 4 spaced 2·ts + td; 4-5 spaced ts; then a pause; then the same again.
    const half = [0, td + ts, 2 * (td + ts), 3 * td + 4 * ts + td, 4 * td + 5 * ts + td];
    const secondStart = (half.at(-1) ?? 0) + td + 1000;
    const starts = [...half, ...half.map((start) => secondStart + start)];
    return {
      pulses: starts.map((startMs) => ({ startMs, durationMs: td })),
      repeatEveryMs: 10_000,
      fundamentalHz: 523,
    };
  }
  const td = 200;
  const ts = 200;
  return {
    pulses: [0, 1, 2].map((index) => ({ startMs: index * (td + ts), durationMs: td })),
    repeatEveryMs: 25_000,
    fundamentalHz: 440,
  };
}

/** How long the mute control silences the tone, in milliseconds (the alert stays on screen). */
export const muteForMs = 2 * 60 * 1000;

/** The tone that should sound for the alarms standing: the highest priority among the unacknowledged. */
export function toneFor(activePriorities: readonly AlarmPriority[]): AlarmPriority | undefined {
  if (activePriorities.includes('high')) return 'high';
  if (activePriorities.includes('medium')) return 'medium';
  return undefined;
}
