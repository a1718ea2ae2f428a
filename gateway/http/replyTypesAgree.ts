/**
 * The server's own types and the API contract's, checked equal at compile
 * time: every property on both sides, optional or not, of the same type. A
 * read model, saga or store that gains a field fails `tsc` here until the
 * reply schema (contract/*.ts) declares it too, so Fastify's serialiser,
 * which drops what a schema does not declare, never silently drops it.
 * Nothing imports this file; the type check is all it is for.
 */
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { User as StoredUser } from '../auth/userStore.ts';
import type { RegisteredDevice } from '../devices/deviceRegistry.ts';
import type { AlertDoc } from '../projections/alerts.ts';
import type { LabOrderView } from '../projections/labOrders.ts';
import type { OrderableTest } from '../labOrders/labTestCatalogue.ts';
import type { DiagnosisEntry } from '../projections/diagnoses.ts';
import type { EncounterDoc } from '../projections/encounters.ts';
import type { LabResult as LabResultDoc } from '../projections/labResults.ts';
import type { QcResult as QcResultDoc } from '../projections/labQcResults.ts';
import type { LatestVitalsDoc, VitalReading as VitalReadingDoc } from '../projections/latestVitals.ts';
import type { Prescription as PrescriptionDoc } from '../projections/medications.ts';
import type { PatientDoc } from '../projections/patients.ts';
import type { AdmissionSagaState } from '../sagas/admissionSaga.ts';
import type { StorageSnapshot } from '../storage/storageGuard.ts';
import type { SyncStatus as SyncStatusDoc } from '../../sync/syncStatus.ts';
import type {
  AdmissionSaga,
  Alert,
  Device,
  Diagnosis,
  Encounter,
  Health,
  LabOrder,
  LabResult,
  LabTest,
  LatestVitals,
  QcResultList,
  Patient,
  Prescription,
  StreamEvent,
  SyncStatus,
  TimelineEvent,
  User,
  VitalReading,
} from './apiContract.ts';

/** A type with interfaces and intersections flattened, all the way down, so that equal shapes compare equal. */
type Plain<T> = T extends object ? { [K in keyof T]: Plain<T[K]> } : T;
/** true only when A and B have the same properties, each optional or required alike, of the same types. */
type Same<A, B> =
  (<X>() => X extends Plain<A> ? 1 : 2) extends <X>() => X extends Plain<B> ? 1 : 2 ? true : false;

type PhiFields = 'sudanNationalId' | 'phone';
type MaskedFields = 'sudanNationalIdMasked' | 'phoneMasked';

/** What the device list adds to a registered device (routes/devices.ts). */
interface DeviceState {
  connected: boolean;
  lastSeenAt: string | null;
  readings: number;
  disconnectReason: string | null;
  clockOffsetSeconds: number | null;
  implausibleClockReadings: number;
}

/** Each entry must be true; the name says which pair disagrees. */
export const replyTypesAgree: {
  patient: Same<Omit<PatientDoc, PhiFields>, Omit<Patient, MaskedFields>>;
  vitalReading: Same<VitalReadingDoc, Omit<VitalReading, 'stale' | 'ageSeconds'>>;
  latestVitals: Same<Omit<LatestVitalsDoc, 'parameters'>, Omit<LatestVitals, 'parameters' | 'news2'>>;
  alert: Same<AlertDoc, Alert>;
  encounter: Same<EncounterDoc, Encounter>;
  admissionSaga: Same<AdmissionSagaState, AdmissionSaga>;
  device: Same<RegisteredDevice & DeviceState, Device>;
  diagnosis: Same<DiagnosisEntry, Diagnosis>;
  prescription: Same<PrescriptionDoc, Prescription>;
  labResult: Same<LabResultDoc, LabResult>;
  labOrder: Same<LabOrderView, LabOrder>;
  labTest: Same<OrderableTest, LabTest>;
  qcResult: Same<QcResultDoc, QcResultList['results'][number]>;
  storage: Same<StorageSnapshot, Health['storage']>;
  syncStatus: Same<SyncStatusDoc & { configured: boolean }, SyncStatus>;
  user: Same<StoredUser, User>;
  streamEvent: Same<keyof ClinicalEvent, keyof StreamEvent>;
  timelineEvent: Same<Exclude<keyof ClinicalEvent, 'hash'>, keyof TimelineEvent>;
} = {
  patient: true,
  vitalReading: true,
  latestVitals: true,
  alert: true,
  encounter: true,
  admissionSaga: true,
  device: true,
  diagnosis: true,
  prescription: true,
  labResult: true,
  labOrder: true,
  labTest: true,
  qcResult: true,
  storage: true,
  syncStatus: true,
  user: true,
  streamEvent: true,
  timelineEvent: true,
};
