import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { button, field, formValues, input, select, statusLine, submitting } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { t } from '../../i18n/locale.ts';
import type { Diagnosis } from '../../model.ts';

const verificationStatuses = [
  'unconfirmed',
  'provisional',
  'differential',
  'confirmed',
  'refuted',
  'entered-in-error',
] as const;
const severities = ['mild', 'moderate', 'severe'] as const;

const choices = (codes: readonly string[], prefix: string): [string, string][] => [
  ['', t('form.noChange')],
  ...codes.map((code) => [code, t(`${prefix}.${code}` as MessageKey)] as [string, string]),
];

/**
 * A physician's correction of one diagnosis (diagnosis_updated): its
 * verification status, severity or note, always with the reason. Folded
 * under the entry until opened; a diagnosis entered in error is not corrected further.
 */
export function diagnosisCorrection(
  patientId: string,
  diagnosis: Diagnosis,
  done: () => void,
): HTMLElement | null {
  if (diagnosis.verificationStatus === 'entered-in-error') return null;
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form form--row', data: { diagnosisId: diagnosis.diagnosisId } },
    field(
      'diagnosis.verification',
      select('verificationStatus', choices(verificationStatuses, 'verification')),
    ),
    field('diagnosis.severity', select('severity', choices(severities, 'severity'))),
    field('diagnosis.note', input('note', { maxlength: '2000' })),
    field('diagnosis.changeReason', input('reason', { required: '', maxlength: '500' })),
    button('diagnosis.correct', { type: 'submit' }),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void submitting(form, status, async () => {
      const { verificationStatus, severity, note, reason } = formValues(form);
      if (!verificationStatus && !severity && !note) {
        status.show(t('form.nothingChanged'));
        return;
      }
      await api.patch(patientPath(patientId, `/diagnoses/${encodeURIComponent(diagnosis.diagnosisId)}`), {
        ...(verificationStatus ? { verificationStatus } : {}),
        ...(severity ? { severity } : {}),
        ...(note ? { note } : {}),
        reason,
      });
      done();
    });
  });
  return h('details', { class: 'correction' }, h('summary', { text: t('diagnosis.correct') }), form);
}
