import { ApiError, api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { button, field, formValues, input, select, statusLine, submitting } from '../../forms.ts';
import { admissionFailureText } from './admissionFailure.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { t } from '../../i18n/locale.ts';
import type { Bed, Patient } from '../../model.ts';

const dispositions = ['home', 'referred', 'left_against_advice', 'deceased', 'other'] as const;

/**
 * Admit (through the gateway's admission saga: bed reserved, encounter
 * opened, care team told, or everything undone), transfer and discharge,
 * as the patient's status allows.
 */
export function encounterForms(
  patient: Patient,
  beds: Bed[] | undefined,
  done: () => void,
  refreshBeds: () => void = () => undefined,
): HTMLElement {
  const free = beds?.filter((bed) => bed.state === 'free') ?? [];
  const bedControl = (name: string) =>
    beds
      ? select(name, [
          ['', t('form.choose')],
          ...free.map((bed) => [`${bed.ward}|${bed.bed}`, `${bed.ward} · ${bed.bed}`] as [string, string]),
        ])
      : input(name, { maxlength: '32' });
  /** With the bed list, one choice names ward and bed; without it, both are typed. */
  const place = (values: Record<string, string>, wardKey: string, bedKey: string): Record<string, string> => {
    const chosen = values[bedKey];
    if (beds && chosen?.includes('|')) {
      const [ward = '', bed = ''] = chosen.split('|');
      return { [wardKey]: ward, [bedKey]: bed };
    }
    return {
      ...(values[wardKey] ? { [wardKey]: values[wardKey] } : {}),
      ...(chosen ? { [bedKey]: chosen } : {}),
    };
  };
  const wardInput = (name: string) => input(name, { maxlength: '64', ...(beds ? {} : { required: '' }) });

  if (patient.status !== 'admitted') {
    const status = statusLine();
    const form = h(
      'form',
      { class: 'form form--row', attrs: { id: 'admit-form' } },
      beds ? null : field('encounter.ward', wardInput('ward')),
      field('encounter.bed', bedControl('bed')),
      field('encounter.reason', input('reason', { maxlength: '500' })),
      button('encounter.admit', { kind: 'primary', type: 'submit' }),
      status,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      void submitting(form, status, async () => {
        const values = formValues(form);
        const body: Record<string, string> = {
          ...place(values, 'ward', 'bed'),
          ...(values.reason ? { reason: values.reason } : {}),
        };
        if (!body.ward) throw new ApiError(400, 'GW_ERR_REQUEST_INVALID', 'ward');
        try {
          await api.post(patientPath(patient.patientId, '/admissions'), body);
        } catch (error) {
          if (!(error instanceof ApiError) || error.code !== 'GW_ERR_ADMISSION_FAILED') throw error;
          // The saga undid its steps: say which one failed and what was undone, and
          // show the bed free again everywhere (the form stays, so the nurse can retry).
          status.show(admissionFailureText(error, body.bed));
          refreshBeds();
          return;
        }
        done();
      });
    });
    return form;
  }

  const transferStatus = statusLine();
  const transfer = h(
    'form',
    { class: 'form form--row', attrs: { id: 'transfer-form' } },
    beds ? null : field('encounter.toWard', wardInput('toWard')),
    field('encounter.toBed', bedControl('toBed')),
    button('encounter.transfer', { type: 'submit' }),
    transferStatus,
  );
  transfer.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!transfer.reportValidity()) return;
    void submitting(transfer, transferStatus, async () => {
      const body = place(formValues(transfer), 'toWard', 'toBed');
      if (!body.toWard) throw new ApiError(400, 'GW_ERR_REQUEST_INVALID', 'toWard');
      await api.post(patientPath(patient.patientId, '/transfers'), body);
      done();
    });
  });

  const dischargeStatus = statusLine();
  const discharge = h(
    'form',
    { class: 'form form--row', attrs: { id: 'discharge-form' } },
    field(
      'encounter.disposition',
      select(
        'disposition',
        dispositions.map((code) => [code, t(`disposition.${code}` as MessageKey)] as [string, string]),
      ),
    ),
    button('encounter.discharge', { kind: 'danger', type: 'submit' }),
    dischargeStatus,
  );
  discharge.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(discharge, dischargeStatus, async () => {
      await api.post(patientPath(patient.patientId, '/discharge'), formValues(discharge));
      done();
    });
  });
  return h('div', {}, transfer, discharge);
}
