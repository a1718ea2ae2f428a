import { describe, expect, it } from 'vitest';
import { linkFaultKinds, linkFaultPlan } from '../../../prove/link/linkFaults.ts';
import { seededRandom } from '../../../prove/link/seededRandom.ts';

describe('the fault plan of the link campaign', () => {
  it('is the same plan for the same seed, so a failing run can be repeated', () => {
    expect(linkFaultPlan(100, seededRandom(42))).toEqual(linkFaultPlan(100, seededRandom(42)));
    expect(linkFaultPlan(100, seededRandom(42))).not.toEqual(linkFaultPlan(100, seededRandom(43)));
  });

  it('meets every kind of fault in its first five, so the short form tries them all', () => {
    for (const seed of [1, 2, 3, 99, 12345]) {
      const kinds = linkFaultPlan(5, seededRandom(seed)).map((fault) => fault.kind);
      expect([...kinds].sort()).toEqual([...linkFaultKinds].sort());
    }
  });

  it('mixes a hundred faults, cuts the most and broker restarts the fewest', () => {
    const plan = linkFaultPlan(100, seededRandom(7));
    const count = (kind: string) => plan.filter((fault) => fault.kind === kind).length;
    expect(plan).toHaveLength(100);
    expect(count('cut')).toBeGreaterThan(count('broker-restart'));
    for (const kind of linkFaultKinds) expect(count(kind)).toBeGreaterThan(0);
  });

  it('keeps stalls and slow links within bounds the hub and the sync engine meet in practice', () => {
    for (const fault of linkFaultPlan(500, seededRandom(5))) {
      if (fault.kind === 'stall') expect(fault.ms).toBeGreaterThanOrEqual(500);
      if (fault.kind === 'stall') expect(fault.ms).toBeLessThanOrEqual(6000);
      if (fault.kind === 'slow') expect(fault.bytesPerSecond).toBeGreaterThanOrEqual(2048);
    }
  });
});
