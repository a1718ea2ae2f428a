import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of a patient's diagnoses and medication chart: one area of
 * docs/errors.md (#diagnoses-and-medications-http-api), which gateway/errors.ts
 * composes with the others.
 */
export const diagnosisAndMedicationErrors = {
  title: 'Diagnoses and medications (HTTP API)',
  intro: [
    "These are met by the nurse's screen on a patient's chart (its diagnoses and its",
    'medication chart). Nothing was recorded when one of them is returned.',
  ],
  codes: {
    GW_ERR_DIAGNOSIS_UNKNOWN: {
      status: 404,
      message: 'Diagnosis "%s" is not on the chart of patient "%s"',
      meaning: "no diagnosis with that id on the patient's chart",
      solve: 'refresh the diagnosis list',
      readable: '`Diagnosis "<id>" is not on the chart of patient "<patientId>"`',
      explanation: [
        '**How to solve:** refresh `GET /api/v1/patients/<patientId>/diagnoses` and use a',
        '`diagnosisId` from it.',
      ],
    },
    GW_ERR_DIAGNOSIS_STATE: {
      status: 409,
      message: 'Diagnosis "%s" is %s',
      meaning: 'the diagnosis is already resolved or in remission, or was entered in error',
      solve: 'refresh: someone already resolved or withdrew it',
      readable:
        '`Diagnosis "<id>" is already <resolved | remission>` or `Diagnosis "<id>" is entered in error`',
      explanation: [
        'The diagnosis was already resolved (or put in remission), or, for a correction,',
        'it was marked entered in error: it is withdrawn from the chart. Nothing was recorded.',
        '',
        '**How to solve:** refresh the chart. A condition that came back is a new diagnosis;',
        'so is the right diagnosis after one entered in error.',
      ],
    },
    GW_ERR_PRESCRIPTION_UNKNOWN: {
      status: 404,
      message: 'Prescription "%s" is not on the chart of patient "%s"',
      meaning: "no prescription with that id on the patient's chart",
      solve: 'refresh the medication chart',
      readable: '`Prescription "<id>" is not on the chart of patient "<patientId>"`',
      explanation: [
        '**How to solve:** refresh `GET /api/v1/patients/<patientId>/medications` and use a',
        '`medicationRequestId` from it.',
      ],
    },
    GW_ERR_PRESCRIPTION_STATE: {
      status: 409,
      message: 'Prescription "%s" is %s',
      meaning: 'the prescription was discontinued',
      solve: 'ask the prescriber for a new prescription',
      readable: '`Prescription "<id>" is discontinued`',
      explanation: [
        'A dose cannot be recorded against, and a prescription cannot be stopped again',
        'after, its discontinuation. Nothing was recorded.',
        '',
        '**How to solve:** ask the prescriber; a drug to be given again needs a new prescription.',
      ],
    },
  },
} satisfies ErrorArea;
