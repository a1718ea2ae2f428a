import { sudanStates } from '../../../kernel/events/schemas/common.ts';
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { button, errorText, field, formValues, input, select, statusLine, submitting } from '../forms.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { t } from '../i18n/locale.ts';
import type { Patient } from '../model.ts';
import { navigate, pathOf } from '../router.ts';
import type { WardStore } from '../wardStore.ts';
import type { Screen } from './screen.ts';

export const sexOptions = () =>
  (['female', 'male', 'other', 'unknown'] as const).map(
    (sex) => [sex, t(`sex.${sex}` as MessageKey)] as [string, string],
  );

export const stateOptions = () => [
  ['', t('form.choose')] as [string, string],
  ...sudanStates.map((state) => [state, t(`sudanState.${state}` as MessageKey)] as [string, string]),
];

/** The patient list (search by name, MRN or bed) and the registration form. */
export function patientsScreen(store: WardStore): Screen {
  const search = input('search', { type: 'search', id: 'patient-search' });
  const rows = h('tbody');
  const listStatus = statusLine();
  const registerForm = registrationForm(store);
  const element = h(
    'section',
    { class: 'screen' },
    h('h1', { text: t('patients.title') }),
    h(
      'div',
      { class: 'split' },
      h(
        'div',
        {},
        field('patients.search', search),
        listStatus,
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table', attrs: { id: 'patients' } },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...(
                  [
                    'patients.name',
                    'patients.mrn',
                    'patients.status',
                    'patients.place',
                    'patients.nationalId',
                  ] as const
                ).map((key) => h('th', { text: t(key), attrs: { scope: 'col' } })),
              ),
            ),
            rows,
          ),
        ),
      ),
      registerForm,
    ),
  );
  const render = () => {
    const query = search.value.trim().toLowerCase();
    const patients = [...store.patients.values()]
      .filter(
        (patient) =>
          !query ||
          `${patient.firstName} ${patient.lastName} ${patient.patientMRN ?? ''} ${patient.bed ?? ''}`
            .toLowerCase()
            .includes(query),
      )
      .sort((a, b) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`));
    rows.replaceChildren(
      ...patients.map((patient) =>
        h(
          'tr',
          { data: { patientId: patient.patientId } },
          h(
            'th',
            { attrs: { scope: 'row' } },
            h('a', {
              text: `${patient.firstName} ${patient.lastName}`,
              data: { route: '' },
              attrs: { href: pathOf({ name: 'patient', patientId: patient.patientId }) },
            }),
          ),
          h('td', { text: patient.patientMRN ?? '–' }),
          h('td', { text: t(`patientStatus.${patient.status}` as MessageKey) }),
          h('td', { text: patient.ward ? `${patient.ward}${patient.bed ? ` · ${patient.bed}` : ''}` : '–' }),
          h('td', { class: 'masked', text: patient.sudanNationalIdMasked ?? '–' }),
        ),
      ),
    );
    if (patients.length === 0)
      rows.append(h('tr', {}, h('td', { text: t('patients.none'), attrs: { colspan: '5' } })));
  };
  search.addEventListener('input', render);
  const unsubscribe = store.subscribe((topic) => {
    if (topic === 'board') render();
  });
  void store.refreshPatients().catch((error: unknown) => listStatus.show(errorText(error)));
  render();
  return { element, dispose: unsubscribe };
}

function registrationForm(store: WardStore): HTMLElement {
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form', attrs: { id: 'register-form', novalidate: '' } },
    h('h2', { text: t('register.title') }),
    field('register.firstName', input('firstName', { required: '', maxlength: '100', autocomplete: 'off' })),
    field('register.fatherName', input('fatherName', { maxlength: '100' })),
    field('register.lastName', input('lastName', { required: '', maxlength: '100' })),
    field('register.sex', select('sex', sexOptions(), { required: '' })),
    field('register.birthDate', input('birthDate', { type: 'date' })),
    field(
      'register.nationalId',
      input('sudanNationalId', {
        pattern: '[A-Z0-9]{6,20}',
        maxlength: '20',
        inputmode: 'latin',
        autocomplete: 'off',
      }),
      'register.nationalIdHint',
    ),
    field(
      'register.phone',
      input('phone', { type: 'tel', pattern: '\\+[1-9][0-9]{7,14}', placeholder: '+249…' }),
    ),
    field('register.state', select('sudanState', stateOptions())),
    field(
      'register.language',
      select('preferredLanguage', [
        ['ar', t('language.ar')],
        ['en', t('language.en')],
      ]),
    ),
    status,
    button('register.submit', { kind: 'primary', type: 'submit' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    void submitting(form, status, async () => {
      const { patientId } = await api.post<{ patientId: string }>('/api/v1/patients', formValues(form));
      form.reset();
      await store.refreshPatients();
      navigate({ name: 'patient', patientId });
    });
  });
  return form;
}

export type { Patient };
