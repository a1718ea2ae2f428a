/**
 * The gateway API's contract as TypeScript: each type derived from the JSON
 * Schema the route declares for its reply (contract/*.ts), so the server,
 * which Fastify serialises through those schemas, and the nurse's screen,
 * which imports these types, read one definition (docs/ui.md, "The API
 * contract"). Imports nothing but the kernel and the contract's schemas: the
 * screen's bundle must not pull in server code (test/importRules.unit.test.ts).
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { VitalParameter } from '../../kernel/events/schemas/vitals.ts';
import type { acknowledgeReply, alertListReply, alertView } from './contract/alerts.ts';
import type { bedView } from './contract/beds.ts';
import type { handoverPatient, handoverReply } from './contract/handover.ts';
import type { qcResultListReply } from './contract/qcResults.ts';
import type {
  labOrderListReply,
  labOrdersPlacedReply,
  labOrderView,
  labTestCatalogueReply,
  labTestView,
  pendingLabOrdersReply,
} from './contract/labOrders.ts';
import type {
  administeredReply,
  administrationView,
  diagnosisAddedReply,
  diagnosisListReply,
  diagnosisView,
  labResultListReply,
  labResultView,
  medicationChartReply,
  prescribedReply,
  prescriptionView,
} from './contract/clinicalRecord.ts';
import type { deviceListReply, deviceView } from './contract/devices.ts';
import type { admissionReply, admissionSagaView, encounterView } from './contract/encounters.ts';
import type { errorReply } from './contract/errorReply.ts';
import type { appendedReply } from './contract/fields.ts';
import type { healthReply, quarantineReply, syncStatusReply } from './contract/operations.ts';
import type {
  clinicalEventView,
  nationalIdReply,
  patientChartReply,
  patientListReply,
  patientRegisteredReply,
  patientView,
  timelineReply,
} from './contract/patients.ts';
import type {
  sessionReply,
  sessionUserView,
  userListReply,
  userReply,
  userView,
} from './contract/session.ts';
import type { streamEventView } from './contract/stream.ts';
import type { latestVitalsView, vitalReadingView } from './contract/vitals.ts';
import type { vitalsTrendReply } from './contract/vitalsTrend.ts';
import type { flowsheetReply } from './contract/flowsheet.ts';
import type { news2TrendsReply } from './contract/news2Trends.ts';

export type { VitalParameter };

/** `{ code, message, statusCode, details? }`, the body of every error (docs/errors.md). */
export type ErrorReply = FromSchema<typeof errorReply>;
/** The events a write appended. */
export type AppendedReply = FromSchema<typeof appendedReply>;

export type Patient = FromSchema<typeof patientView>;
export type PatientList = FromSchema<typeof patientListReply>;
export type PatientRegistered = FromSchema<typeof patientRegisteredReply>;
export type PatientChart = FromSchema<typeof patientChartReply>;
export type NationalIdReply = FromSchema<typeof nationalIdReply>;
/** An event of the log as the API shows it (timeline): no chain hash, PHI masked. */
export type TimelineEvent = FromSchema<typeof clinicalEventView>;
export type Timeline = FromSchema<typeof timelineReply>;
/** An event as the live stream sends it (GET /api/v1/stream). */
export type StreamEvent = FromSchema<typeof streamEventView>;

export type Encounter = FromSchema<typeof encounterView>;
export type AdmissionReply = FromSchema<typeof admissionReply>;
export type AdmissionSaga = FromSchema<typeof admissionSagaView>;

export type VitalReading = FromSchema<typeof vitalReadingView>;
export type LatestVitals = FromSchema<typeof latestVitalsView>;
/** A patient's downsampled vital-sign trend (GET /api/v1/patients/:patientId/vitals/trend). */
export type VitalsTrend = FromSchema<typeof vitalsTrendReply>;
/** A patient's observation grid, one column per interval (GET /api/v1/patients/:patientId/flowsheet). */
export type Flowsheet = FromSchema<typeof flowsheetReply>;
/** Every admitted patient's NEWS2 of the last hours, hourly worst (GET /api/v1/news2/trends). */
export type News2Trends = FromSchema<typeof news2TrendsReply>;
/** The shift handover (GET /api/v1/handover). */
export type Handover = FromSchema<typeof handoverReply>;
export type HandoverPatient = FromSchema<typeof handoverPatient>;
/** The latest reading of each parameter measured so far. */
export type VitalParameters = LatestVitals['parameters'];

export type Alert = FromSchema<typeof alertView>;
export type AlertList = FromSchema<typeof alertListReply>;
export type AcknowledgeReply = FromSchema<typeof acknowledgeReply>;

export type Bed = FromSchema<typeof bedView>;
export type Device = FromSchema<typeof deviceView>;
export type DeviceList = FromSchema<typeof deviceListReply>;

export type Diagnosis = FromSchema<typeof diagnosisView>;
export type DiagnosisList = FromSchema<typeof diagnosisListReply>;
export type DiagnosisAdded = FromSchema<typeof diagnosisAddedReply>;
export type Prescription = FromSchema<typeof prescriptionView>;
export type Administration = FromSchema<typeof administrationView>;
export type MedicationChart = FromSchema<typeof medicationChartReply>;
export type Prescribed = FromSchema<typeof prescribedReply>;
export type Administered = FromSchema<typeof administeredReply>;
export type LabResult = FromSchema<typeof labResultView>;
export type LabResultList = FromSchema<typeof labResultListReply>;
export type QcResultList = FromSchema<typeof qcResultListReply>;
export type LabTest = FromSchema<typeof labTestView>;
export type LabTestCatalogueReply = FromSchema<typeof labTestCatalogueReply>;
export type LabOrder = FromSchema<typeof labOrderView>;
export type LabOrderList = FromSchema<typeof labOrderListReply>;
export type PendingLabOrders = FromSchema<typeof pendingLabOrdersReply>;
export type LabOrdersPlaced = FromSchema<typeof labOrdersPlacedReply>;

export type Health = FromSchema<typeof healthReply>;
export type QuarantineList = FromSchema<typeof quarantineReply>;
export type SyncStatus = FromSchema<typeof syncStatusReply>;

export type SessionUser = FromSchema<typeof sessionUserView>;
export type SessionReply = FromSchema<typeof sessionReply>;
export type User = FromSchema<typeof userView>;
export type UserList = FromSchema<typeof userListReply>;
export type UserReply = FromSchema<typeof userReply>;
