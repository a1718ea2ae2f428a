import { alertEpisodesProjection } from './alertEpisodes.ts';
import { alertsProjection } from './alerts.ts';
import { devicesProjection } from './devices.ts';
import { encountersProjection } from './encounters.ts';
import { latestVitalsProjection } from './latestVitals.ts';
import { patientsProjection } from './patients.ts';
import type { AnyProjection } from './projectionStore.ts';

/** Every read model the gateway keeps. */
export const gatewayProjections: readonly AnyProjection[] = [
  patientsProjection,
  encountersProjection,
  latestVitalsProjection,
  alertsProjection,
  alertEpisodesProjection,
  devicesProjection,
];
