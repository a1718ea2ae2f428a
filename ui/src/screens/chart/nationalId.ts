import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { button, errorText, field, select, statusLine } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { t } from '../../i18n/locale.ts';
import type { Patient } from '../../model.ts';
import { revealPurposes } from '../../../../gateway/http/contract/revealPurposes.ts';

/** How long a revealed national ID stays on screen before it is masked again, in milliseconds. */
const SHOWN_FOR_MS = 30_000;

/** Reasons a person may give for seeing a national ID, recorded in the sudan_national_id_accessed event. */
const reasons = revealPurposes;

/**
 * The national ID, masked; revealing it asks why, and the gateway records
 * who saw it, why and when (sudan_national_id_accessed). A role that may not
 * see it is told so by the gateway (403), and the screen says so.
 */
export function nationalIdField(patient: Patient): HTMLElement {
  const value = h('span', {
    class: 'masked',
    text: patient.sudanNationalIdMasked ?? '–',
    attrs: { id: 'national-id' },
  });
  const status = statusLine();
  const reason = select(
    'reason',
    [
      ['', t('form.choose')],
      ...reasons.map((code) => [code, t(`reveal.reason.${code}` as MessageKey)] as [string, string]),
    ],
    { required: '' },
  );
  const dialog = h('dialog', {
    class: 'dialog',
    attrs: { id: 'reveal-dialog', 'aria-labelledby': 'reveal-title' },
  });
  const form = h(
    'form',
    { class: 'form', attrs: { method: 'dialog' } },
    h('h2', { text: t('reveal.title'), attrs: { id: 'reveal-title' } }),
    h('p', { text: t('reveal.explain') }),
    field('reveal.reason', reason),
    status,
    h(
      'div',
      { class: 'actions' },
      button('reveal.confirm', { kind: 'primary', type: 'submit' }),
      button('form.cancel', { onClick: () => dialog.close() }),
    ),
  );
  dialog.append(form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    status.reset();
    try {
      const { nationalId } = await api.post<{ nationalId: string }>(
        patientPath(patient.patientId, '/national-id/reveal'),
        {
          reason: reason.value,
        },
      );
      dialog.close();
      value.textContent = nationalId;
      value.classList.remove('masked');
      value.dataset.revealed = 'true';
      setTimeout(() => {
        value.textContent = patient.sudanNationalIdMasked ?? '–';
        value.classList.add('masked');
        delete value.dataset.revealed;
      }, SHOWN_FOR_MS);
    } catch (error) {
      status.show(errorText(error));
    }
  });
  const reveal = button('reveal.button', {
    onClick: () => {
      status.reset();
      form.reset();
      dialog.showModal();
    },
  });
  reveal.id = 'reveal-national-id';
  reveal.hidden = !patient.sudanNationalIdMasked;
  return h('span', { class: 'national-id' }, value, reveal, dialog);
}
