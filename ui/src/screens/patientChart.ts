import type { TrendWindow } from '../../../gateway/http/contract/trendWindows.ts';
import { api, patientPath } from '../api.ts';
import { h } from '../dom.ts';
import { errorText } from '../forms.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { fmt, t } from '../i18n/locale.ts';
import type { Alert, PatientChart } from '../model.ts';
import type { WardStore } from '../wardStore.ts';
import { alertItem } from '../alerts/alertItem.ts';
import { gatewayNow } from '../api.ts';
import { diagnosesSection, latestVitalsList, manualVitalsForm } from './chart/clinicalSections.ts';
import { labResultsSection } from './chart/labResults.ts';
import { labOrdersSection } from './chart/labOrders.ts';
import { medicationsSection } from './chart/medications.ts';
import { encounterCorrection } from './chart/encounterCorrection.ts';
import { encounterForms } from './chart/encounterForms.ts';
import { nationalIdField } from './chart/nationalId.ts';
import { news2ScaleControl } from './chart/news2ScaleControl.ts';
import { chartSection } from './chart/section.ts';
import { timelineSection } from './chart/timeline.ts';
import { trendsSection } from './chart/trends/trendsSection.ts';
import { news2Now } from '../news2/news2Now.ts';
import type { Screen } from './screen.ts';
import { pathOf } from '../router.ts';

/** One patient: who they are, where they lie, what was measured, diagnosed, prescribed and found, and what happened when. */
export function patientChartScreen(store: WardStore, patientId: string, role: string): Screen {
  const element = h('section', { class: 'screen chart', data: { patientId } });
  let disposed = false;
  // The trend window chosen stays chosen when the chart is drawn again after an action.
  const trendWindow: { window: TrendWindow } = { window: '8h' };
  let trends: ReturnType<typeof trendsSection> | undefined;
  const load = async () => {
    let chart: PatientChart;
    try {
      // The bed list must be known before the admission form is drawn (a reload lands here first).
      if (!store.beds) await store.refreshPatients().catch(() => undefined);
      chart = await api.get<PatientChart>(patientPath(patientId));
    } catch (error) {
      element.replaceChildren(
        h('h1', { text: t('chart.title') }),
        h('p', { class: 'status-line', data: { kind: 'error' }, text: errorText(error) }),
      );
      return;
    }
    if (disposed) return;
    const { patient } = chart;
    const reload = () => {
      void store.refreshPatients().catch(() => undefined);
      void load();
    };
    trends?.dispose();
    trends = trendsSection(patientId, store, trendWindow);
    const facts: [MessageKey, string | HTMLElement][] = [
      ['chart.mrn', patient.patientMRN ?? '–'],
      ['register.sex', t(`sex.${patient.sex}` as MessageKey)],
      ['register.birthDate', patient.birthDate ? fmt.date(patient.birthDate) : '–'],
      ['chart.status', t(`patientStatus.${patient.status}` as MessageKey)],
      [
        'chart.place',
        patient.ward
          ? `${patient.ward}${patient.bed ? ` · ${t('board.bed', { bed: patient.bed })}` : ''}`
          : '–',
      ],
      ['register.state', patient.sudanState ? t(`sudanState.${patient.sudanState}` as MessageKey) : '–'],
      ['register.phone', patient.phoneMasked ?? '–'],
      ['register.nationalId', nationalIdField(patient)],
    ];
    element.replaceChildren(
      h('h1', {
        text: `${patient.firstName} ${patient.fatherName ? `${patient.fatherName} ` : ''}${patient.lastName}`,
      }),
      h(
        'dl',
        { class: 'facts' },
        ...facts.flatMap(([label, value]) => [h('dt', { text: t(label) }), h('dd', {}, value)]),
      ),
      h(
        'section',
        { class: 'chart-section', attrs: { id: 'encounter' } },
        h('h2', { text: t('encounter.title') }),
        encounterCorrection(patientId, chart.encounters, role, reload),
        encounterForms(
          patient,
          store.beds,
          reload,
          () => void store.refreshPatients().catch(() => undefined),
        ),
      ),
      h(
        'section',
        { class: 'chart-section', attrs: { id: 'vitals' } },
        h('h2', { text: t('vitals.title') }),
        news2Now(chart.latestVitals?.news2),
        news2ScaleControl(
          patientId,
          chart.encounters.find((encounter) => encounter.status === 'in-progress')?.news2Spo2Scale ?? 1,
          patient.status === 'admitted',
          role,
          reload,
        ),
        h('a', {
          class: 'button button--plain',
          text: t('flowsheet.open'),
          data: { route: '' },
          attrs: { href: pathOf({ name: 'flowsheet', patientId }), id: 'open-flowsheet' },
        }),
        latestVitalsList(chart.latestVitals?.parameters ?? {}),
        manualVitalsForm(patientId, reload),
      ),
      trends.element,
      diagnosesSection(patientId, role),
      medicationsSection(patientId, role),
      labOrdersSection(patientId, role, {
        name: [patient.firstName, patient.fatherName, patient.lastName].filter(Boolean).join(' '),
        ...(patient.patientMRN ? { patientMRN: patient.patientMRN } : {}),
      }),
      labResultsSection(patientId),
      chartSection('alert-history', 'alerts.history', async (body) => {
        const { alerts } = await api.get<{ alerts: Alert[] }>(
          `/api/v1/alerts?status=all&patientId=${encodeURIComponent(patientId)}`,
        );
        const now = gatewayNow();
        body.replaceChildren(
          alerts.length
            ? h(
                'ul',
                { class: 'alert-list alert-list--page' },
                ...alerts.map((alert) => alertItem(alert, patient, () => reload(), now)),
              )
            : h('p', { class: 'note', text: t('alerts.none') }),
        );
      }),
      timelineSection(patientId),
    );
  };
  void load();
  return {
    element,
    dispose() {
      disposed = true;
      trends?.dispose();
    },
  };
}
