import { doseUnits } from '../../../../kernel/events/schemas/medication.ts';
import { administerMedications, writePrescriptions } from '../../../../kernel/roles/clinicalRoles.ts';
import { api, patientPath } from '../../api.ts';
import { h } from '../../dom.ts';
import { button, errorText, field, formValues, input, select, statusLine, submitting } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { Prescription } from '../../model.ts';
import { chartSection, listOrNone } from './section.ts';

/** The routes and frequencies offered on a ward (the event catalogue allows more). */
const routes = [
  'oral',
  'intravenous',
  'intramuscular',
  'subcutaneous',
  'rectal',
  'topical',
  'inhalation',
  'nasogastric',
  'other',
] as const;
const frequencies = [
  'once',
  'stat',
  'daily',
  'bid',
  'tid',
  'qid',
  'q6h',
  'q8h',
  'q12h',
  'nightly',
  'prn',
] as const;

const allowed = (config: { roles: readonly string[] }, role: string) => config.roles.includes(role);

function prescribeForm(patientId: string, reload: () => Promise<void>): HTMLFormElement {
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form form--row', attrs: { id: 'prescribe-form' } },
    field('medication.drug', input('drugName', { required: '', maxlength: '200' })),
    field(
      'medication.dose',
      input('doseValue', { required: '', type: 'number', min: '0', step: 'any', inputmode: 'decimal' }),
    ),
    field(
      'medication.unit',
      select(
        'doseUnit',
        doseUnits.map((unit) => [unit, unit]),
      ),
    ),
    field(
      'medication.route',
      select(
        'route',
        routes.map((code) => [code, t(`route.${code}` as MessageKey)] as [string, string]),
      ),
    ),
    field(
      'medication.frequency',
      select(
        'frequency',
        frequencies.map((code) => [code, t(`frequency.${code}` as MessageKey)] as [string, string]),
      ),
    ),
    button('medication.prescribe', { kind: 'primary', type: 'submit' }),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void submitting(form, status, async () => {
      const v = formValues(form);
      await api.post(patientPath(patientId, '/medications'), {
        drugName: v.drugName,
        dose: { value: Number(v.doseValue), unit: v.doseUnit },
        route: v.route,
        frequency: v.frequency,
      });
      form.reset();
      await reload();
    });
  });
  return form;
}

function prescriptionItem(
  patientId: string,
  m: Prescription,
  mayAdminister: boolean,
  reload: () => Promise<void>,
): HTMLElement {
  const given = m.administrations?.filter((entry) => entry.status === 'given').at(-1);
  const rowStatus = h('span', { class: 'status-line', attrs: { role: 'status' } });
  const active = m.status !== 'discontinued';
  return h(
    'li',
    { data: { prescriptionId: m.medicationRequestId, status: m.status ?? 'active' } },
    h('strong', { text: m.drugName }),
    m.dose ? ` ${fmt.number(m.dose.value, 2)} ${m.dose.unit}` : '',
    m.route ? ` · ${t(`route.${m.route}` as MessageKey)}` : '',
    m.frequency ? ` · ${t(`frequency.${m.frequency}` as MessageKey)}` : '',
    active ? null : h('small', { text: ` · ${t('medication.stopped')}` }),
    given
      ? h('small', {
          class: 'last-given',
          text: ` · ${t('medication.lastGiven', { time: fmt.dateTime(given.administeredAt) })}`,
        })
      : null,
    active && mayAdminister
      ? button('medication.give', {
          onClick: async () => {
            try {
              await api.post(
                patientPath(
                  patientId,
                  `/medications/${encodeURIComponent(m.medicationRequestId)}/administrations`,
                ),
                { status: 'given' },
              );
              await reload();
            } catch (error) {
              rowStatus.textContent = errorText(error);
            }
          },
        })
      : null,
    rowStatus,
  );
}

/**
 * The medication chart: a physician prescribes; a nurse (or physician)
 * records each dose given. A nurse sees no prescription form, and is told why,
 * because the gateway would refuse it (prescriptions.write).
 */
export function medicationsSection(patientId: string, role: string): HTMLElement {
  const mayAdminister = allowed(administerMedications, role);
  const section = chartSection(
    'medications',
    'medication.title',
    async (body) => {
      const { prescriptions } = await api.get<{ prescriptions: Prescription[] }>(
        patientPath(patientId, '/medications'),
      );
      body.replaceChildren(
        listOrNone(
          prescriptions.map((m) => prescriptionItem(patientId, m, mayAdminister, () => section.reload())),
          'medication.none',
        ),
      );
    },
    allowed(writePrescriptions, role)
      ? prescribeForm(patientId, () => section.reload())
      : h('p', { class: 'note', data: { refused: 'prescribe' }, text: t('medication.physicianOnly') }),
  );
  return section;
}
