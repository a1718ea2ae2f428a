import type { ApiError } from '../../api.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { t } from '../../i18n/locale.ts';

const steps = new Set(['reserve_bed', 'create_encounter', 'notify_care_team']);
const compensations = new Set(['release_bed', 'close_encounter']);

/**
 * A rolled-back admission (GW_ERR_ADMISSION_FAILED, docs/admission-saga.md) in
 * the nurse's words: which step failed, what the gateway undid (the encounter
 * closed, the bed released), and that the patient is not admitted. The
 * gateway's `details` carry the step and the compensations as codes.
 */
export function admissionFailureText(error: ApiError, bed: string | undefined): string {
  const details = error.details ?? {};
  const step = typeof details.failedStep === 'string' ? details.failedStep : '';
  const undone = Array.isArray(details.compensations)
    ? details.compensations.filter((entry): entry is string => typeof entry === 'string')
    : [];
  const parts = [
    steps.has(step)
      ? t('admission.failedAt', { step: t(`admission.step.${step}` as MessageKey) })
      : t('error.admissionFailed'),
    ...undone
      .filter((entry) => compensations.has(entry))
      .map((entry) =>
        entry === 'release_bed' && bed
          ? t('admission.undone.releaseBedNamed', { bed })
          : t(`admission.undone.${entry}` as MessageKey),
      ),
    t('admission.notAdmitted'),
  ];
  return `${parts.join(' ')} (${error.code})`;
}
