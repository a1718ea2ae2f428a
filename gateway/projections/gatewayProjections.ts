import { alertEpisodesProjection } from './alertEpisodes.ts';
import { alertsProjection } from './alerts.ts';
import { devicesProjection } from './devices.ts';
import { encountersProjection } from './encounters.ts';
import { latestVitalsProjection } from './latestVitals.ts';
import { patientsProjection } from './patients.ts';
import type { AnyProjection } from './projectionStore.ts';
import { bedsProjection } from './beds.ts';
import { admissionSagasProjection } from './admissionSagas.ts';
import { diagnosesProjection } from './diagnoses.ts';
import { medicationsProjection } from './medications.ts';
import { labResultsProjection } from './labResults.ts';
import { labQcResultsProjection } from './labQcResults.ts';
import { vitalsMinutesProjection, vitalsQuarterHoursProjection } from './vitalsMinutes.ts';
import { labOrdersProjection } from './labOrders.ts';
import { labOrderKeysProjection, patientLabOrdersProjection } from './labOrderIndex.ts';

/** Every read model the gateway keeps. */
export const gatewayProjections: readonly AnyProjection[] = [
  patientsProjection,
  encountersProjection,
  latestVitalsProjection,
  alertsProjection,
  alertEpisodesProjection,
  devicesProjection,
  bedsProjection,
  admissionSagasProjection,
  diagnosesProjection,
  medicationsProjection,
  labResultsProjection,
  labQcResultsProjection,
  vitalsMinutesProjection,
  vitalsQuarterHoursProjection,
  labOrdersProjection,
  labOrderKeysProjection,
  patientLabOrdersProjection,
];
