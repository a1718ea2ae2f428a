import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { GatewayError } from '../errors.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { patientView } from '../http/patientView.ts';
import type { AlertDoc } from '../projections/alerts.ts';
import type { DeviceDoc } from '../projections/devices.ts';
import type { EncounterDoc } from '../projections/encounters.ts';
import { gatewayProjections } from '../projections/gatewayProjections.ts';
import type { LatestVitalsDoc } from '../projections/latestVitals.ts';
import type { PatientDoc } from '../projections/patients.ts';
import { projectInMemory } from '../projections/projectionStore.ts';
import { type CommonFlags, dataDirOption, openForCommand } from './cliOptions.ts';

interface ReplayFlags extends CommonFlags {
  asOf?: string;
}

/** `nilecare replay`: rebuild the read models from the log, or show them as of a past time. */
export async function replayCommand(flags: ReplayFlags): Promise<void> {
  const services = openForCommand(flags, true);
  try {
    if (flags.asOf === undefined) {
      const bar = new SingleBar({
        format: 'replaying |{bar}| {value}/{total} events',
        stream: process.stderr,
      });
      bar.start(services.log.count(), 0);
      services.projections.rebuild(services.log, (done) => bar.update(done));
      bar.stop();
      console.log(
        `rebuilt ${services.projections.projections.length} read models from ${services.log.count()} events`,
      );
      return;
    }
    const asOf = Date.parse(flags.asOf);
    if (Number.isNaN(asOf)) throw new GatewayError('GW_ERR_TIME_INVALID', [flags.asOf]);
    const state = projectInMemory(
      gatewayProjections,
      eventsUntil(services.log.iterate(), new Date(asOf).toISOString()),
    );
    const docs = <T>(name: string) => [...(state.get(name)?.values() ?? [])] as T[];
    const snapshot = {
      asOf: new Date(asOf).toISOString(),
      patients: docs<PatientDoc>('patients').map((doc) => patientView(doc, services.keyring)),
      encounters: docs<EncounterDoc>('encounters'),
      latestVitals: docs<LatestVitalsDoc>('latestVitals'),
      openAlerts: docs<AlertDoc>('alerts').filter((alert) => alert.status !== 'resolved'),
      devices: docs<DeviceDoc>('devices'),
    };
    console.log(JSON.stringify(snapshot, null, 2));
  } finally {
    services.db.close();
  }
}

/** The events the gateway had recorded by a moment (its own clock, recordedAt). */
export function* eventsUntil(events: Iterable<ClinicalEvent>, asOf: string): Generator<ClinicalEvent> {
  for (const event of events) if (event.recordedAt <= asOf) yield event;
}

/** `nilecare replay`: rebuild or show the read models from the log. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('rebuild every read model from the log; with --as-of, show the state at a past moment')
    .addOption(dataDirOption())
    .option('--as-of <time>', 'ISO 8601 time: print the state as it was then (nothing is changed)')
    .action(replayCommand);
}
