/**
 * What the gateway's API returns, as the screen uses it: the API contract's
 * types, derived from the reply schemas the gateway serialises with
 * (gateway/http/apiContract.ts, docs/ui.md "The API contract"). Never
 * restated here: a field the gateway adds or drops shows up in `tsc -p ui`.
 */
export type {
  Alert,
  Bed,
  Device,
  Diagnosis,
  Flowsheet,
  Handover,
  HandoverPatient,
  Health,
  News2Trends,
  LabOrder,
  LabResult,
  LabTest,
  Patient,
  PendingLabOrders,
  PatientChart,
  Prescription,
  QcResultList,
  SessionUser,
  StreamEvent,
  SyncStatus,
  TimelineEvent,
  VitalParameter,
  VitalParameters,
  VitalReading,
  VitalsTrend,
} from '../../gateway/http/apiContract.ts';
