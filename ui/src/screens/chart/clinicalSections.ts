import { vitalParameterSpecs } from '../../../../gateway/events/schemas/vitals.ts';
import { api, patientPath } from '../../api.ts';
import { vitalParameters } from '../../board/vitalSigns.ts';
import { h } from '../../dom.ts';
import { button, errorText, field, formValues, input, select, statusLine, submitting } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import { unitLabel, vitalLabel, vitalValue } from '../../vitalLabels.ts';
import { chartSection, listOrNone } from './section.ts';

/** Vital signs typed in by a nurse: the same event and the same alert rules as a monitor's reading. */
export function manualVitalsForm(patientId: string, done: () => void): HTMLElement {
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form form--grid', attrs: { id: 'vitals-form' } },
    ...vitalParameters.map((name) => {
      const spec = vitalParameterSpecs[name];
      const control = input(name, {
        type: 'number',
        inputmode: 'decimal',
        min: String(spec.minimum),
        max: String(spec.maximum),
        step: name === 'temperature' ? '0.1' : '1',
      });
      return h(
        'div',
        { class: 'field' },
        h('label', { attrs: { for: `vitals-${name}` } }, `${vitalLabel(name)} (${unitLabel(spec.unit)})`),
        Object.assign(control, { id: `vitals-${name}` }),
      );
    }),
    field(
      'vitals.consciousness',
      select('consciousness', [
        ['', t('form.choose')],
        ...(['A', 'C', 'V', 'P', 'U'] as const).map(
          (code) => [code, t(`acvpu.${code}` as MessageKey)] as [string, string],
        ),
      ]),
    ),
    h(
      'div',
      { class: 'field field--check' },
      h('input', {
        attrs: { type: 'checkbox', name: 'supplementalOxygen', id: 'vitals-oxygen', value: 'true' },
      }),
      h('label', { text: t('vitals.oxygen'), attrs: { for: 'vitals-oxygen' } }),
    ),
    button('vitals.record', { kind: 'primary', type: 'submit' }),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void submitting(form, status, async () => {
      const values = formValues(form);
      const body: Record<string, unknown> = {};
      for (const name of vitalParameters) if (values[name] !== undefined) body[name] = Number(values[name]);
      if (values.consciousness) body.consciousness = values.consciousness;
      if (values.supplementalOxygen) body.supplementalOxygen = true;
      await api.post(patientPath(patientId, '/vitals'), body);
      form.reset();
      status.show(t('vitals.recorded'), 'ok');
      done();
    });
  });
  return form;
}

interface Diagnosis {
  diagnosisId?: string;
  icd10Code?: string;
  code?: string;
  description?: string;
  display?: string;
  recordedAt?: string;
}

export function diagnosesSection(patientId: string): HTMLElement {
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form form--row', attrs: { id: 'diagnosis-form' } },
    field(
      'diagnosis.code',
      input('icd10Code', {
        required: '',
        pattern: '[A-Za-z][0-9][0-9A-Za-z](\\.[0-9A-Za-z]{1,4})?',
        maxlength: '8',
        placeholder: 'B50.9',
      }),
    ),
    field('diagnosis.description', input('description', { required: '', maxlength: '500' })),
    button('diagnosis.add', { kind: 'primary', type: 'submit' }),
    status,
  );
  const section = chartSection(
    'diagnoses',
    'diagnosis.title',
    async (body) => {
      const reply = await api.get<{ diagnoses: Diagnosis[] } | Diagnosis[]>(
        patientPath(patientId, '/diagnoses'),
      );
      const diagnoses = Array.isArray(reply) ? reply : reply.diagnoses;
      body.replaceChildren(
        listOrNone(
          diagnoses.map((d) =>
            h(
              'li',
              {},
              h('strong', { class: 'code', text: d.icd10Code ?? d.code ?? '' }),
              ` ${d.description ?? d.display ?? ''}`,
              d.recordedAt ? h('small', { text: ` · ${fmt.dateTime(d.recordedAt)}` }) : null,
            ),
          ),
          'diagnosis.none',
        ),
      );
    },
    form,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void submitting(form, status, async () => {
      const values = formValues(form);
      await api.post(patientPath(patientId, '/diagnoses'), {
        icd10Code: values.icd10Code?.toUpperCase(),
        description: values.description,
      });
      form.reset();
      await section.reload();
    });
  });
  return section;
}

interface Prescription {
  prescriptionId?: string;
  medicationRequestId?: string;
  drugName: string;
  dose?: { value: number; unit: string };
  route?: string;
  frequency?: string;
  status?: string;
  administrations?: { administeredAt: string; status: string }[];
}

const doseUnits = ['mg', 'g', 'ug', 'mL', '[IU]', 'tablet', 'capsule', 'drop', 'puff', 'sachet'] as const;
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

export function medicationsSection(patientId: string): HTMLElement {
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
  const section = chartSection(
    'medications',
    'medication.title',
    async (body) => {
      const reply = await api.get<{ prescriptions: Prescription[] } | Prescription[]>(
        patientPath(patientId, '/medications'),
      );
      const medications = Array.isArray(reply) ? reply : reply.prescriptions;
      body.replaceChildren(
        listOrNone(
          medications.map((m) => {
            const id = m.prescriptionId ?? m.medicationRequestId ?? '';
            const given = m.administrations?.at(-1);
            const rowStatus = h('span', { class: 'status-line', attrs: { role: 'status' } });
            return h(
              'li',
              { data: { prescriptionId: id } },
              h('strong', { text: m.drugName }),
              m.dose ? ` ${fmt.number(m.dose.value, 2)} ${m.dose.unit}` : '',
              m.route ? ` · ${t(`route.${m.route}` as MessageKey)}` : '',
              m.frequency ? ` · ${t(`frequency.${m.frequency}` as MessageKey)}` : '',
              given
                ? h('small', {
                    text: ` · ${t('medication.lastGiven', { time: fmt.dateTime(given.administeredAt) })}`,
                  })
                : null,
              button('medication.give', {
                onClick: async () => {
                  try {
                    await api.post(
                      patientPath(patientId, `/medications/${encodeURIComponent(id)}/administrations`),
                      {
                        status: 'given',
                      },
                    );
                    await section.reload();
                  } catch (error) {
                    rowStatus.textContent = errorText(error);
                  }
                },
              }),
              rowStatus,
            );
          }),
          'medication.none',
        ),
      );
    },
    form,
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
      await section.reload();
    });
  });
  return section;
}

interface LabResult {
  resultId: string;
  testName: string;
  value: number | string;
  unit?: string;
  flags?: string[];
  resultStatus: string;
  reportedAt: string;
  referenceRange?: { low?: number; high?: number; text?: string };
}

export function labResultsSection(patientId: string): HTMLElement {
  return chartSection('lab-results', 'lab.title', async (body) => {
    const reply = await api.get<{ labResults: LabResult[] } | { results: LabResult[] } | LabResult[]>(
      patientPath(patientId, '/lab-results'),
    );
    const results = Array.isArray(reply) ? reply : 'labResults' in reply ? reply.labResults : reply.results;
    body.replaceChildren(
      listOrNone(
        results.map((r) =>
          h(
            'li',
            { class: r.flags?.length ? 'abnormal' : '' },
            h('strong', { text: r.testName }),
            ` ${typeof r.value === 'number' ? fmt.number(r.value, 2) : r.value}${r.unit ? ` ${r.unit}` : ''}`,
            r.flags?.length ? h('span', { class: 'flag', text: ` ${t('lab.abnormal')}` }) : null,
            h('small', {
              text: ` · ${t(`lab.status.${r.resultStatus}` as MessageKey)} · ${fmt.dateTime(r.reportedAt)}`,
            }),
          ),
        ),
        'lab.none',
      ),
    );
  });
}

export function latestVitalsList(
  parameters: Record<string, { value: number; unit: string; measuredAt: string; stale?: boolean }>,
): HTMLElement {
  const entries = vitalParameters.filter((name) => parameters[name]);
  return listOrNone(
    entries.map((name) => {
      const reading = parameters[name]!;
      return h(
        'li',
        { data: { stale: String(Boolean(reading.stale)) } },
        h('strong', { text: vitalLabel(name) }),
        ` ${vitalValue(reading.value, name)} ${unitLabel(reading.unit)}`,
        h('small', {
          text: ` · ${fmt.dateTime(reading.measuredAt)}${reading.stale ? ` · ${t('board.staleShort')}` : ''}`,
        }),
      );
    }),
    'board.noReading',
  );
}
