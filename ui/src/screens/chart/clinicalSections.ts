import { vitalParameterSpecs } from '../../../../kernel/events/schemas/vitals.ts';
import { api, patientPath } from '../../api.ts';
import { vitalParameters } from '../../board/vitalSigns.ts';
import { h } from '../../dom.ts';
import { button, field, formValues, input, select, statusLine, submitting } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { fmt, t } from '../../i18n/locale.ts';
import type { Diagnosis, VitalParameters } from '../../model.ts';
import { unitLabel, vitalLabel, vitalValue } from '../../vitalLabels.ts';
import { writeDiagnoses } from '../../../../kernel/roles/clinicalRoles.ts';
import { diagnosisCorrection } from './diagnosisCorrection.ts';
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

export function diagnosesSection(patientId: string, role: string): HTMLElement {
  const status = statusLine();
  const mayWrite = (writeDiagnoses.roles as readonly string[]).includes(role);
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
      const { diagnoses } = await api.get<{ diagnoses: Diagnosis[] }>(patientPath(patientId, '/diagnoses'));
      body.replaceChildren(
        listOrNone(
          diagnoses.map((d) =>
            h(
              'li',
              {},
              h('strong', { class: 'code', text: d.code }),
              ` ${d.display}`,
              h('small', {
                class: 'verification',
                text: ` · ${t(`verification.${d.verificationStatus}` as MessageKey)}${d.severity ? ` · ${t(`severity.${d.severity}` as MessageKey)}` : ''}`,
              }),
              d.note ? h('small', { class: 'diagnosis-note', text: ` · ${d.note}` }) : null,
              h('small', { text: ` · ${fmt.dateTime(d.recordedAt)}` }),
              d.recordedBy?.userName
                ? h('small', { text: ` · ${t('timeline.by', { name: d.recordedBy.userName })}` })
                : null,
              mayWrite ? diagnosisCorrection(patientId, d, () => void section.reload()) : null,
            ),
          ),
          'diagnosis.none',
        ),
      );
    },
    // A role the gateway would refuse is told so before typing, not after.
    mayWrite
      ? form
      : h('p', { class: 'note', data: { refused: 'diagnosis' }, text: t('diagnosis.physicianOnly') }),
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

export function latestVitalsList(parameters: VitalParameters): HTMLElement {
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
