import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of the admission saga, wards and beds: one area of docs/errors.md
 * (#admissions-and-beds-http-api), which gateway/errors.ts composes with the others.
 */
export const admissionErrors = {
  title: 'Admissions and beds (HTTP API)',
  intro: [
    'Admissions run as a saga (reserve a bed, create the encounter, notify the care',
    'team); see [admission-saga.md](admission-saga.md). The wards and beds are the',
    "gateway's configuration (`NILECARE_WARDS`), and `GET /api/v1/beds` shows each",
    'bed free, reserved or occupied.',
  ],
  codes: {
    GW_ERR_WARD_UNKNOWN: {
      status: 404,
      message: 'Ward "%s" is not configured at this gateway (wards: %s)',
      meaning: "the ward is not in the gateway's ward configuration",
      solve: 'pick a ward from `GET /api/v1/beds`, or add it to `NILECARE_WARDS`',
      readable: '`Ward "<ward>" is not configured at this gateway (wards: <list>)`',
      explanation: [
        'An admission or transfer named a ward the gateway does not have. The message',
        'lists the wards it has. Nothing was recorded.',
        '',
        '**How to solve:** use a ward name exactly as `GET /api/v1/beds` lists it (names are',
        'case-sensitive). If the clinic opened a ward, add it to `NILECARE_WARDS`',
        '(for example `Ward A:A1-A8;Maternity:M1-M4;Paediatrics:P1-P6`) and restart the gateway.',
      ],
    },
    GW_ERR_BED_UNKNOWN: {
      status: 404,
      message: 'Bed "%s" is not a bed of ward "%s"',
      meaning: 'the bed is not a bed of that ward',
      solve: 'pick a bed from `GET /api/v1/beds`, or add it to `NILECARE_WARDS`',
      readable: '`Bed "<bed>" is not a bed of ward "<ward>"`',
      explanation: [
        "The bed named is not one of the ward's beds in the configuration. Nothing was recorded.",
        '',
        '**How to solve:** pick a bed from `GET /api/v1/beds`, or leave `bed` out and the first',
        'free bed of the ward is taken. If the ward really has that bed, add it to `NILECARE_WARDS`.',
      ],
    },
    GW_ERR_BED_UNAVAILABLE: {
      status: 409,
      message: 'Bed "%s" of ward "%s" is %s',
      meaning: 'another patient occupies the bed, or an admission holds it',
      solve: 'choose a free bed, or leave the bed out to take the first free one',
      readable: '`Bed "<bed>" of ward "<ward>" is <occupied | reserved | held by another admission>`',
      explanation: [
        'Another patient occupies the bed, or another admission holds it while it runs.',
        'When two admissions ask for the same bed at the same moment, one gets it and',
        'the other gets this error (its saga ends at the reserve step, with nothing to',
        'undo; `details.sagaId` names it).',
        '',
        '**How to solve:** choose a bed that `GET /api/v1/beds` shows `free`, or leave `bed`',
        'out. A bed held by an admission is freed when that admission completes or is',
        'rolled back (within `NILECARE_BED_RESERVATION_SECONDS` at most).',
      ],
    },
    GW_ERR_WARD_FULL: {
      status: 409,
      message: 'Ward "%s" has no free bed',
      meaning: 'every bed of the ward is occupied or held',
      solve: 'admit to another ward, or discharge or transfer first',
      readable: '`Ward "<ward>" has no free bed`',
      explanation: [
        'An admission or transfer named no bed, and every bed of the ward is occupied or held.',
        '',
        '**How to solve:** admit to another ward, or transfer or discharge a patient first.',
      ],
    },
    GW_ERR_ADMISSION_FAILED: {
      status: 502,
      message: 'Admission %s failed at step %s and was rolled back (%s): %s',
      meaning: 'a step of the admission failed; it was rolled back',
      solve: 'fix what `details.reason` names (often the care-team webhook), then admit again',
      readable: '`Admission <sagaId> failed at step <step> and was rolled back (<compensations>): <reason>`',
      explanation: [
        'The bed was reserved and the encounter opened, but a later step failed, most',
        'often the care-team notification: the webhook (`NILECARE_CARE_TEAM_WEBHOOK_URL`)',
        'answered with an error, did not answer within `NILECARE_CARE_TEAM_WEBHOOK_TIMEOUT_MS`,',
        'or could not be reached. The gateway undid what was done, in reverse order',
        '(the encounter closed as `admission_cancelled`, the bed released): the patient',
        'is not admitted and the bed is free again. `details` has `sagaId`, `failedStep`,',
        '`reason` and `compensations`; `GET /api/v1/admissions/<sagaId>` shows every step.',
        "502 because the step that failed is another system's.",
        '',
        "**How to solve:** fix what `details.reason` names (is the care team's notification",
        'service up? is the URL right?) and admit the patient again. To admit without the',
        'webhook, unset `NILECARE_CARE_TEAM_WEBHOOK_URL`: the ward board is always told.',
      ],
    },
    GW_ERR_ADMISSION_UNKNOWN: {
      status: 404,
      message: 'Admission "%s" does not exist',
      meaning: 'no admission saga with that id',
      solve: 'use the `sagaId` an admission answered with',
      readable: '`Admission "<sagaId>" does not exist`',
      explanation: [
        'No admission saga with that id was recorded at this gateway.',
        '',
        "**How to solve:** use the `sagaId` from the admission's answer (or from its error's `details`).",
      ],
    },
  },
} satisfies ErrorArea;
