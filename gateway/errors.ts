import { type CodedError, defineErrors } from '../kernel/errors/defineErrors.ts';
import type { ErrorArea } from '../kernel/errors/errorsDoc.ts';
import { admissionErrors } from './errors/admissionsAndBeds.ts';
import { clinicalActionErrors } from './errors/clinicalActions.ts';
import { crossSiteRequestErrors } from './errors/crossSiteRequests.ts';
import { deviceCertificateErrors } from './errors/deviceCertificates.ts';
import { deviceDriverErrors } from './errors/deviceDrivers.ts';
import { deviceErrors } from './errors/devices.ts';
import { diagnosisAndMedicationErrors } from './errors/diagnosesAndMedications.ts';
import { diskSpaceErrors } from './errors/diskSpace.ts';
import { hl7AndGsmErrors } from './errors/hl7AndGsm.ts';
import { labOrderErrors } from './errors/labOrders.ts';
import { runningErrors } from './errors/runningTheGateway.ts';
import { signingInErrors } from './errors/signingIn.ts';

/**
 * Coded errors of the gateway (GW_ERR_...), one file per area of docs/errors.md
 * in gateway/errors/. Each code has a message template, an HTTP status and the
 * text of its section there; the area "Starting and running the gateway"
 * includes the PHI cipher's table (kernel/phi/phiErrors.ts).
 */
export const gatewayErrorAreas: readonly ErrorArea[] = [
  clinicalActionErrors,
  signingInErrors,
  crossSiteRequestErrors,
  admissionErrors,
  diagnosisAndMedicationErrors,
  labOrderErrors,
  deviceErrors,
  runningErrors,
  hl7AndGsmErrors,
  deviceDriverErrors,
  diskSpaceErrors,
  deviceCertificateErrors,
];

export const gatewayErrorCodes = {
  ...clinicalActionErrors.codes,
  ...signingInErrors.codes,
  ...crossSiteRequestErrors.codes,
  ...admissionErrors.codes,
  ...diagnosisAndMedicationErrors.codes,
  ...labOrderErrors.codes,
  ...deviceErrors.codes,
  ...runningErrors.codes,
  ...hl7AndGsmErrors.codes,
  ...deviceDriverErrors.codes,
  ...diskSpaceErrors.codes,
  ...deviceCertificateErrors.codes,
};

export type GatewayErrorCode = keyof typeof gatewayErrorCodes;

const gatewayErrors = defineErrors('GatewayError', gatewayErrorCodes);

/** An error with a code from the table above; `details` carries structured facts (never PHI). */
export const GatewayError = gatewayErrors.Error;
export type GatewayError = CodedError<GatewayErrorCode>;
export const isGatewayError = gatewayErrors.is;
