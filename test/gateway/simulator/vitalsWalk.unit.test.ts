import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type SimulatedVitals,
  stepVitals,
  typicalAdult,
  type WalkState,
} from '../../../gateway/simulator/vitalsWalk.ts';

/** mulberry32: a small seeded generator, so every run walks the same way. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamps: Record<keyof SimulatedVitals, [number, number]> = {
  spo2: [70, 100],
  heartRate: [30, 200],
  respiratoryRate: [6, 40],
  systolic: [70, 200],
  diastolic: [40, 120],
  temperature: [35, 41],
};

function walk(
  random: () => number,
  steps: number,
  episodeChance: number,
  start: SimulatedVitals = typicalAdult,
): WalkState[] {
  const states: WalkState[] = [];
  let state: WalkState = { vitals: { ...start }, baseline: { ...start } };
  for (let step = 0; step < steps; step += 1) {
    state = stepVitals(state, random, episodeChance);
    states.push(state);
  }
  return states;
}

describe('the simulated vitals walk', () => {
  it('stays within each parameter clamp whatever the random source (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, episodeChance) => {
        for (const { vitals } of walk(seededRandom(seed), 300, episodeChance)) {
          for (const [name, [low, high]] of Object.entries(clamps) as [
            keyof SimulatedVitals,
            [number, number],
          ][]) {
            expect(vitals[name]).toBeGreaterThanOrEqual(low);
            expect(vitals[name]).toBeLessThanOrEqual(high);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('stays within the clamps even at the extremes of the random source', () => {
    const start: SimulatedVitals = {
      spo2: 100,
      heartRate: 200,
      respiratoryRate: 40,
      systolic: 200,
      diastolic: 120,
      temperature: 41,
    };
    for (const extreme of [() => 0, () => 0.999999]) {
      for (const { vitals } of walk(extreme, 200, 0, start)) {
        for (const [name, [low, high]] of Object.entries(clamps) as [
          keyof SimulatedVitals,
          [number, number],
        ][]) {
          expect(vitals[name]).toBeGreaterThanOrEqual(low);
          expect(vitals[name]).toBeLessThanOrEqual(high);
        }
      }
    }
  });

  it('rounds readings the way a monitor shows them (whole numbers, temperature to 0.1)', () => {
    for (const { vitals } of walk(seededRandom(7), 50, 0.05)) {
      expect(Number.isInteger(vitals.spo2) && Number.isInteger(vitals.heartRate)).toBe(true);
      expect(Math.round(vitals.temperature * 10) / 10).toBe(vitals.temperature);
    }
  });

  it('starts no episode when the chance is 0, and SpO2 stays in range', () => {
    const states = walk(seededRandom(42), 500, 0);
    expect(states.some((state) => state.episode)).toBe(false);
    expect(Math.min(...states.map((state) => state.vitals.spo2))).toBeGreaterThanOrEqual(94);
  });
});

describe('a desaturation episode (seeded random)', () => {
  it('pushes SpO2 below 92 % within its ticks, then lets it recover', () => {
    const states = walk(seededRandom(2025), 3000, 0.02);
    // Each desaturation episode: the run of consecutive states that carry it.
    const episodes: WalkState[][] = [];
    let current: WalkState[] | undefined;
    for (const state of states) {
      if (state.episode?.kind === 'desaturation') {
        if (!current) {
          current = [];
          episodes.push(current);
        }
        current.push(state);
      } else {
        current = undefined;
      }
    }
    expect(episodes.length).toBeGreaterThanOrEqual(3);
    for (const episode of episodes.slice(0, -1)) {
      expect(episode.length).toBeGreaterThanOrEqual(15);
      expect(Math.min(...episode.map((state) => state.vitals.spo2))).toBeLessThan(92);
    }
    // After the episode the walk drifts back toward the baseline.
    const end = states.indexOf(episodes[0]!.at(-1)!);
    expect(states[end + 15]!.vitals.spo2).toBeGreaterThanOrEqual(94);
  });

  it('lasts between 15 and 34 ticks', () => {
    // random() < chance starts one; the next draws pick desaturation (< 0.5) and its length.
    for (const [lengthDraw, ticks] of [
      [0, 15],
      [0.999, 34],
    ] as const) {
      const draws = [0, 0.1, lengthDraw];
      const random = () => draws.shift() ?? 0.5;
      const started = stepVitals({ vitals: { ...typicalAdult }, baseline: { ...typicalAdult } }, random, 0.5);
      expect(started.episode).toEqual({ kind: 'desaturation', ticksLeft: ticks });
    }
  });
});
