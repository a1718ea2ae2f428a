import Database from 'better-sqlite3';
import { dataPaths } from '../../gateway/openGatewayStore.ts';
import type { Campaign, CampaignOptions, CampaignReport, Violation } from '../campaign.ts';
import { astmEntry } from './astmEntry.ts';
import { cliEntry } from './cliEntry.ts';
import { type EntryPoint, runEntryPoint } from './entryPoint.ts';
import { hl7Entry } from './hl7Entry.ts';
import { httpEntry } from './httpEntry.ts';
import { type InputGateway, startInputGateway } from './inputGateway.ts';
import { crashOf, type EntryTally, malformedEvents } from './inputInvariants.ts';
import { mqttPacketEntry } from './mqttPacketEntry.ts';
import { mqttPayloadEntry } from './mqttPayloadEntry.ts';
import { astmParserEntry, driversFileEntry, hl7ParserEntry, payloadParserEntry } from './parserEntries.ts';

/** Inputs per entry point: the full size is the 100,000, the short one what `npm test` affords. */
const sizes: Record<string, { short: number; full: number }> = {
  'payload-parser': { short: 500, full: 100_000 },
  'hl7-parser': { short: 500, full: 100_000 },
  'astm-parser': { short: 500, full: 100_000 },
  'drivers-json': { short: 500, full: 100_000 },
  'mqtt-payload': { short: 300, full: 100_000 },
  'mqtt-packet': { short: 100, full: 100_000 },
  'astm-tcp': { short: 80, full: 100_000 },
  'hl7-mllp': { short: 150, full: 100_000 },
  'http-bodies': { short: 300, full: 100_000 },
  // Each is a process of its own (2 s of CPU to load the sources): a few in the short form, a hundred in the full one.
  'cli-args': { short: 8, full: 100 },
};

const entries: readonly EntryPoint[] = [
  payloadParserEntry,
  hl7ParserEntry,
  astmParserEntry,
  driversFileEntry,
  mqttPayloadEntry,
  mqttPacketEntry,
  astmEntry,
  hl7Entry,
  httpEntry,
  cliEntry,
];

/** Whether the gateway process still runs and answers /health. */
async function crashAfter(gateway: InputGateway, entry: string): Promise<Violation | undefined> {
  const exited = gateway.process.child.exitCode !== null || gateway.process.child.signalCode !== null;
  const { status } = exited ? { status: undefined } : await gateway.health();
  return crashOf(entry, { exited, healthStatus: status });
}

/** Every event the gateway stored, from a read-only connection to its database. */
function storedBodies(dataDir: string): { seq: number; body: string }[] {
  const db = new Database(dataPaths(dataDir).database, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], { seq: number; body: string }>('SELECT seq, body FROM events ORDER BY seq').all();
  } finally {
    db.close();
  }
}

function figuresOf(tallies: readonly EntryTally[]): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const tally of tallies) {
    figures[`${tally.entry}.inputs`] = tally.inputs;
    figures[`${tally.entry}.refused`] = tally.refused;
    figures[`${tally.entry}.quarantined`] = tally.quarantined;
    figures[`${tally.entry}.slowestMs`] = tally.slowestMs;
  }
  return figures;
}

/**
 * PROVE_INPUT_ENTRIES=mqtt-payload,hl7-mllp runs only those entry points (to
 * repeat a finding quickly); unset, all of them.
 */
const chosen = process.env.PROVE_INPUT_ENTRIES?.split(',').map((name) => name.trim());

async function run(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const violations: Violation[] = [];
  const tallies: EntryTally[] = [];
  let crashes = 0;
  const gateway = await startInputGateway(options.workDir);
  let eventsChecked = 0;
  try {
    for (const [index, entry] of entries.entries()) {
      if (chosen && !chosen.includes(entry.name)) continue;
      // --rounds sets every entry point's count, the CLI's at most its full size (each is a process).
      const size = sizes[entry.name]!;
      const count = options.rounds === undefined ? size[options.size] : Math.min(options.rounds, size.full);
      options.progress(`${entry.name}: ${count} inputs`);
      const tally = await runEntryPoint(entry, {
        gateway,
        count,
        // Each entry point its own stream of inputs, all from the one seed.
        seed: options.seed + index,
        workDir: options.workDir,
        progress: (line) => options.progress(`${entry.name}: ${line}`),
      });
      tallies.push(tally);
      violations.push(...tally.violations);
      const crash = await crashAfter(gateway, entry.name);
      if (crash) {
        crashes += 1;
        violations.push(crash);
        break;
      }
      for (const violation of tally.violations.slice(0, 10))
        options.progress(`${entry.name}: VIOLATION ${violation.guarantee}: ${violation.detail}`);
      options.progress(
        `${entry.name}: ${tally.inputs} inputs, ${tally.refused} refused, ${tally.quarantined} quarantined, slowest ${tally.slowestMs} ms`,
      );
    }
  } finally {
    await gateway.stop();
  }
  const bodies = storedBodies(gateway.dataDir);
  eventsChecked = bodies.length;
  violations.push(...malformedEvents(bodies));
  const inputs = tallies.reduce((sum, tally) => sum + tally.inputs, 0);
  return {
    campaign: 'input',
    rounds: inputs,
    roundUnit: 'inputs',
    figures: {
      ...figuresOf(tallies),
      refused: tallies.reduce((sum, tally) => sum + tally.refused, 0),
      quarantined: tallies.reduce((sum, tally) => sum + tally.quarantined, 0),
      crashes,
      hangs: tallies.reduce((sum, tally) => sum + tally.hangs, 0),
      eventsChecked,
    },
    violations,
    limitations: [
      'Network entry points draw their inputs with fast-check from the random seed of the run but do not shrink a failing one (each try is a round trip to a live process); the report names the input by its index, and the pure parsers behind them are checked with shrinking in this process.',
      'Raw MQTT packets: refused logins are tallied into a quarantine row per source and window (gateway/broker/refusalTally.ts), so their quarantine rise is reported, not owed one row each.',
      'ASTM streams: a frame with a bad checksum is answered NAK for the analyzer to send again (E1381 8.5.2), not quarantined; only what the session gives up on is, so the rise is reported, not owed.',
    ],
    durationMs: Date.now() - started,
  };
}

export const inputCampaign: Campaign = {
  name: 'input',
  summary:
    'hostile input: generated MQTT, ASTM, HL7, HTTP, drivers.json and CLI input; no crash, hang or malformed event',
  run,
};
