import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { button, field, formValues, input, select, statusLine, submitting } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { t } from '../../i18n/locale.ts';
import type { PatientChart } from '../../model.ts';
import { updateEncounters } from '../../../../kernel/roles/clinicalRoles.ts';

type Encounter = PatientChart['encounters'][number];

const encounterClasses = ['inpatient', 'outpatient', 'emergency', 'maternity'] as const;

/**
 * The open encounter's attending physician, class and reason, and a form for a
 * physician to change them (encounter_updated); only what is filled in is sent.
 */
export function encounterCorrection(
  patientId: string,
  encounters: readonly Encounter[],
  role: string,
  done: () => void,
): HTMLElement | null {
  const open = encounters.find((encounter) => encounter.status === 'in-progress');
  if (!open) return null;
  const facts = h(
    'p',
    { class: 'note', data: { attending: open.attendingPhysician?.display ?? '' } },
    `${t('encounter.attending')}: ${open.attendingPhysician?.display ?? '–'} · `,
    `${t('encounter.class')}: ${t(`encounterClass.${open.encounterClass}` as MessageKey)}`,
    open.reason ? ` · ${t('encounter.reason')}: ${open.reason}` : '',
  );
  if (!(updateEncounters.roles as readonly string[]).includes(role)) return facts;
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form form--row', attrs: { id: 'encounter-update-form' } },
    field('encounter.attending', input('attendingPhysician', { maxlength: '128' })),
    field(
      'encounter.class',
      select('encounterClass', [
        ['', t('form.noChange')],
        ...encounterClasses.map(
          (code) => [code, t(`encounterClass.${code}` as MessageKey)] as [string, string],
        ),
      ]),
    ),
    field('encounter.reason', input('reason', { maxlength: '500' })),
    button('encounter.update', { type: 'submit' }),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(form, status, async () => {
      const values = formValues(form);
      const body = {
        ...(values.attendingPhysician ? { attendingPhysician: { display: values.attendingPhysician } } : {}),
        ...(values.encounterClass ? { encounterClass: values.encounterClass } : {}),
        ...(values.reason ? { reason: values.reason } : {}),
      };
      if (Object.keys(body).length === 0) {
        status.show(t('form.nothingChanged'));
        return;
      }
      await api.patch(patientPath(patientId, `/encounters/${encodeURIComponent(open.encounterId)}`), body);
      done();
    });
  });
  return h('div', {}, facts, form);
}
