import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputCampaign } from '../../prove/input/inputCampaign.ts';

// The hostile input campaign's short form (docs/reliability.md#hostile-input): a few hundred
// generated inputs per parser and entry point against a real gateway process.
const workDir = mkdtempSync(join(tmpdir(), 'nilecare-prove-input-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the hostile input campaign, short form', () => {
  it('finds no crash, hang, unquarantined refusal or malformed event, and did the work', async () => {
    const report = await inputCampaign.run({
      size: 'short',
      rounds: undefined,
      seed: 15,
      hours: undefined,
      workDir,
      progress: () => undefined,
    });
    expect(report.violations).toEqual([]);
    const { figures } = report;
    for (const entry of [
      'payload-parser',
      'hl7-parser',
      'astm-parser',
      'drivers-json',
      'mqtt-payload',
      'mqtt-packet',
      'astm-tcp',
      'hl7-mllp',
      'http-bodies',
      'cli-args',
    ])
      expect(figures[`${entry}.inputs`], entry).toBeGreaterThan(0);
    expect(figures.crashes).toBe(0);
    expect(figures.hangs).toBe(0);
    // Refusals were met and quarantined, and what was stored was checked against the catalogue.
    expect(figures['mqtt-payload.quarantined']).toBeGreaterThan(10);
    expect(figures['hl7-mllp.quarantined']).toBeGreaterThan(10);
    expect(figures['http-bodies.quarantined']).toBeGreaterThan(10);
    expect(figures.eventsChecked).toBeGreaterThan(10);
  }, 400_000);
});
