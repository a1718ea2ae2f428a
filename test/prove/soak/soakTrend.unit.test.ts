import { describe, expect, it } from 'vitest';
import { slope, slopesPerHour, upwardTrends } from '../../../prove/soak/soakTrend.ts';

const minute = 60_000;
/** Samples every minute for `minutes`, RSS following `rss(minute)`. */
const samples = (minutes: number, rss: (m: number) => number) =>
  Array.from({ length: minutes }, (_, m) => ({ atMs: (m + 1) * minute, figures: { rssMb: rss(m + 1) } }));

describe('the soak trend check', () => {
  it('fits the least-squares slope', () => {
    expect(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
    ).toBeCloseTo(2);
    expect(slope([{ x: 0, y: 1 }])).toBe(0);
  });

  it('passes a flat figure after a warm-up that climbed steeply', () => {
    const rss = samples(180, (m) => (m < 60 ? 100 + m * 2 : 220 + (m % 2)));
    expect(upwardTrends(rss, 60 * minute)).toEqual([]);
  });

  it('reports RSS that keeps growing after the warm-up beyond its tolerance', () => {
    // 1 MB a minute is 60 MB/h: over the 10 MB/h tolerance and, over two hours, the 40 MB floor.
    const rss = samples(180, (m) => 100 + m);
    expect(slopesPerHour(rss, 60 * minute).rssMb).toBeCloseTo(60);
    const [violation] = upwardTrends(rss, 60 * minute);
    expect(violation?.detail).toMatch(/^rssMb rises 60\.0 MB\/h/);
  });

  it("takes a short run's wobble within the noise floor as flat", () => {
    const rss = samples(3, (m) => 100 + m * 5);
    expect(upwardTrends(rss, 0)).toEqual([]);
  });
});
