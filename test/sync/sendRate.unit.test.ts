import { describe, expect, it } from 'vitest';
import { estimatedDrainSeconds, sendRate, withSample } from '../../sync/sendRate.ts';

describe('send rate and drain estimate', () => {
  it('counts events and bytes acknowledged over the window', () => {
    let samples = withSample([], { atMs: 1000, events: 100, bytes: 50_000 }, 30_000);
    samples = withSample(samples, { atMs: 11_000, events: 200, bytes: 100_000 }, 30_000);
    expect(sendRate(samples, 30_000, 30_000)).toEqual({ eventsPerSecond: 10, bytesPerSecond: 5000 });
  });

  it('forgets what fell out of the window, and drops to zero when nothing moves', () => {
    let samples = withSample([], { atMs: 0, events: 1000, bytes: 1 }, 30_000);
    samples = withSample(samples, { atMs: 40_000, events: 30, bytes: 30 }, 30_000);
    expect(samples).toHaveLength(1);
    expect(sendRate(samples, 45_000, 30_000).eventsPerSecond).toBe(1);
    expect(sendRate(samples, 100_000, 30_000).eventsPerSecond).toBe(0);
  });

  it('does not dilute the rate of an engine that started less than a window ago', () => {
    const samples = withSample([], { atMs: 1500, events: 500, bytes: 0 }, 30_000);
    expect(sendRate(samples, 2000, 30_000, 0).eventsPerSecond).toBe(250);
  });

  it('estimates the drain time from the backlog and the rate; unknown while nothing moves', () => {
    expect(estimatedDrainSeconds(1000, 250)).toBe(4);
    expect(estimatedDrainSeconds(1001, 250)).toBe(5);
    expect(estimatedDrainSeconds(0, 0)).toBe(0);
    expect(estimatedDrainSeconds(1000, 0)).toBeNull();
  });
});
