import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { CampaignReport } from './campaign.ts';
import { campaigns } from './campaigns.ts';
import { reportLine, reportTable } from './report.ts';

/**
 * `npm run prove`: the reliability campaigns of docs/reliability.md. Prints a
 * table, then one JSON line; exits 1 when any guarantee was found broken.
 */
const positive = (value: string): number => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('a positive number');
  return number;
};

const program = new Command('prove')
  .description('Reliability campaigns: crashes, link cuts, full disks, hostile input, soak, clock faults')
  .option('--campaign <names>', `comma-separated, of: ${campaigns.map((c) => c.name).join(', ')}`)
  .option('--short', 'the short form npm test runs (a few rounds each)', false)
  .option('--rounds <n>', 'rounds of each campaign chosen (kills, cuts, inputs...)', positive)
  .option('--hours <h>', 'length of the soak, in hours', positive)
  .option('--seed <n>', 'seed of every random choice', positive)
  .addHelpText('after', `\n${campaigns.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}`)
  .parse();

const options = program.opts<{
  campaign?: string;
  short: boolean;
  rounds?: number;
  hours?: number;
  seed?: number;
}>();
const chosen = options.campaign?.split(',').map((name) => name.trim()) ?? campaigns.map((c) => c.name);
const unknown = chosen.filter((name) => !campaigns.some((c) => c.name === name));
if (unknown.length > 0) {
  process.stderr.write(`prove: unknown campaign ${unknown.join(', ')}\n`);
  process.exit(2);
}
const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
const size = options.short ? 'short' : 'full';
const reports: CampaignReport[] = [];
for (const campaign of campaigns.filter((c) => chosen.includes(c.name))) {
  const workDir = mkdtempSync(join(tmpdir(), `nilecare-prove-${campaign.name}-`));
  const started = Date.now();
  process.stderr.write(`prove: ${campaign.name} (${size}, seed ${seed})\n`);
  try {
    reports.push(
      await campaign.run({
        size,
        rounds: options.rounds,
        seed,
        hours: options.hours,
        workDir,
        progress: (line) => process.stderr.write(`  ${campaign.name}: ${line}\n`),
      }),
    );
  } catch (error) {
    // A campaign that cannot finish is a failed proof, never a skipped one.
    reports.push({
      campaign: campaign.name,
      rounds: 0,
      roundUnit: 'rounds',
      figures: {},
      violations: [{ round: 0, guarantee: 'campaign ran to the end', detail: String(error) }],
      limitations: [],
      durationMs: Date.now() - started,
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
for (const line of reportTable(reports)) process.stdout.write(`${line}\n`);
process.stdout.write(`${reportLine(seed, size, reports)}\n`);
process.exitCode = reports.every((report) => report.violations.length === 0) ? 0 : 1;
