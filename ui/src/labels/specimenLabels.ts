import { h } from '../dom.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { fmt, t } from '../i18n/locale.ts';
import type { LabOrder } from '../model.ts';
import { barsOf, code128Modules } from './code128.ts';

export interface LabelPatient {
  name: string;
  patientMRN?: string;
}

/** One tube's label: the specimen id as Code 128 and in writing, the patient, MRN, tests and time ordered. */
export function specimenLabel(order: LabOrder, patient: LabelPatient): HTMLElement {
  const specimenId = order.specimen?.specimenId ?? '';
  return h(
    'div',
    { class: 'specimen-label', data: { specimenId } },
    code128Svg(specimenId),
    h('div', { class: 'specimen-label__id', text: specimenId }),
    h('div', { class: 'specimen-label__patient', text: patient.name }),
    h('div', {
      class: 'specimen-label__details',
      text: [
        patient.patientMRN ? `${t('label.mrn')} ${patient.patientMRN}` : '',
        order.tests.map((test) => test.testCode).join(' '),
        t(`labOrder.priority.${order.priority}` as MessageKey),
        fmt.dateTime(order.orderedAt),
      ]
        .filter(Boolean)
        .join(' · '),
    }),
  );
}

/**
 * Prints the labels of these orders from the browser: on a label printer (one
 * 50 × 25 mm label per page) or on an A4 sheet (labels in a grid); the print
 * stylesheet (styles/app.css, "Specimen labels") hides everything else.
 */
export function printLabels(orders: readonly LabOrder[], patient: LabelPatient, sheet: 'label' | 'a4'): void {
  document.getElementById('print-labels')?.remove();
  const area = h(
    'div',
    { class: `print-labels print-labels--${sheet}`, attrs: { id: 'print-labels' } },
    ...orders.filter((order) => order.specimen).map((order) => specimenLabel(order, patient)),
  );
  document.body.append(area);
  document.body.classList.add('printing-labels');
  const done = () => {
    document.body.classList.remove('printing-labels');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

/** An SVG of the symbol, one unit per module, stretched to its box by CSS; crisp edges for thermal printers. */
export function code128Svg(text: string): SVGSVGElement {
  const modules = code128Modules(text);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${modules.length} 40`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('class', 'barcode');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', text);
  svg.dataset.modules = String(modules.length);
  for (const bar of barsOf(modules)) {
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', String(bar.x));
    rect.setAttribute('width', String(bar.width));
    rect.setAttribute('y', '0');
    rect.setAttribute('height', '40');
    svg.append(rect);
  }
  return svg;
}
