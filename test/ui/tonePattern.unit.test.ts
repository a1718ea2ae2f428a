import { describe, expect, it } from 'vitest';
import { burstPlan, muteForMs, toneFor } from '../../ui/src/alarm/tonePattern.ts';

const spacings = (starts: number[], duration: number) =>
  starts.slice(1).map((start, index) => start - (starts[index]! + duration));

describe('alarm tones in the manner of IEC 60601-1-8', () => {
  it('sounds ten pulses for a high-priority alert, in the 3-2 … 3-2 rhythm and the standard’s ranges', () => {
    const plan = burstPlan('high');
    expect(plan.pulses).toHaveLength(10);
    const duration = plan.pulses[0]!.durationMs;
    expect(duration).toBeGreaterThanOrEqual(75);
    expect(duration).toBeLessThanOrEqual(200);
    const gaps = spacings(
      plan.pulses.map((pulse) => pulse.startMs),
      duration,
    );
    const ts = gaps[0]!;
    expect(ts).toBeGreaterThanOrEqual(50);
    expect(ts).toBeLessThanOrEqual(125);
    // Pulses 1-2, 2-3 spaced ts; 3-4 spaced 2·ts + td; 4-5 ts; 5-6 the pause (0.35-1.3 s); then the same again.
    expect(gaps).toEqual([ts, ts, 2 * ts + duration, ts, gaps[4], ts, ts, 2 * ts + duration, ts]);
    expect(gaps[4]).toBeGreaterThanOrEqual(350);
    expect(gaps[4]).toBeLessThanOrEqual(1300);
    expect(plan.repeatEveryMs).toBeGreaterThanOrEqual(2500);
    expect(plan.repeatEveryMs).toBeLessThanOrEqual(15_000);
    expect(plan.fundamentalHz).toBeGreaterThanOrEqual(150);
    expect(plan.fundamentalHz).toBeLessThanOrEqual(1000);
  });

  it('sounds three pulses for a medium-priority alert', () => {
    const plan = burstPlan('medium');
    expect(plan.pulses).toHaveLength(3);
    const duration = plan.pulses[0]!.durationMs;
    expect(duration).toBeGreaterThanOrEqual(125);
    expect(duration).toBeLessThanOrEqual(250);
    for (const gap of spacings(
      plan.pulses.map((pulse) => pulse.startMs),
      duration,
    )) {
      expect(gap).toBeGreaterThanOrEqual(125);
      expect(gap).toBeLessThanOrEqual(250);
    }
    expect(plan.repeatEveryMs).toBeLessThanOrEqual(30_000);
  });

  it('plays the highest priority among the unacknowledged alerts, and nothing when none stands', () => {
    expect(toneFor(['medium', 'high', 'medium'])).toBe('high');
    expect(toneFor(['medium'])).toBe('medium');
    expect(toneFor([])).toBeUndefined();
  });

  it('mutes for two minutes', () => {
    expect(muteForMs).toBe(120_000);
  });
});
