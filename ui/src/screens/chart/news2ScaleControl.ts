import type { Spo2Scale } from '../../../../kernel/clinical/news2.ts';
import { chooseNews2Scale } from '../../../../kernel/roles/clinicalRoles.ts';
import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { button, field, formValues, input, statusLine, submitting } from '../../forms.ts';
import { t } from '../../i18n/locale.ts';

/**
 * The SpO2 scale of the chart's NEWS2 (docs/ui.md#news2): says which scale the
 * score is on, and lets a physician switch with a reason
 * (`PUT /api/v1/patients/:patientId/news2-scale`). Scale 2 only for confirmed
 * hypercapnic respiratory failure (Royal College of Physicians, 2017), so the
 * hint says so; a role that may not switch sees the scale only.
 */
export function news2ScaleControl(
  patientId: string,
  scale: Spo2Scale,
  admitted: boolean,
  role: string,
  onChanged: () => void,
): HTMLElement {
  const other: Spo2Scale = scale === 2 ? 1 : 2;
  const shown = h('strong', {
    class: `news2-scale news2-scale--${scale}`,
    data: { spo2Scale: String(scale) },
    text: t(scale === 2 ? 'news2.scale2' : 'news2.scale1'),
  });
  const mayChoose = admitted && (chooseNews2Scale.roles as readonly string[]).includes(role);
  if (!mayChoose) return h('p', { class: 'news2-scale-control' }, shown);
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form form--row', attrs: { id: 'news2-scale-form' } },
    field(
      'news2.scaleReason',
      input('reason', { required: '', maxlength: '500' }),
      other === 2 ? 'news2.scale2Hint' : undefined,
    ),
    button(other === 2 ? 'news2.switchTo2' : 'news2.switchTo1', { kind: 'primary', type: 'submit' }),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void submitting(form, status, async () => {
      await api.put(patientPath(patientId, '/news2-scale'), {
        spo2Scale: other,
        reason: formValues(form).reason,
      });
      onChanged();
    });
  });
  return h('div', { class: 'news2-scale-control' }, h('p', {}, shown), form);
}
