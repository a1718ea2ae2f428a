import { gatewayNow } from '../api.ts';
import { type BoardSlot, boardSlots } from '../board/boardSlots.ts';
import { type BoardReading, isStale, vitalParameters, vitalStatus } from '../board/vitalSigns.ts';
import { h, setText } from '../dom.ts';
import { errorText } from '../forms.ts';
import { fmt, t } from '../i18n/locale.ts';
import { icon } from '../icons.ts';
import type { VitalParameter } from '../model.ts';
import { pathOf } from '../router.ts';
import { unitLabel, vitalLabel, vitalValue } from '../vitalLabels.ts';
import type { WardStore } from '../wardStore.ts';
import { boardNews2 } from '../news2/boardNews2.ts';
import { news2Badge } from '../news2/news2Badge.ts';
import { news2Sparkline } from '../news2/news2Sparkline.ts';
import { withLiveScore } from '../news2/sparkHours.ts';
import type { Screen } from './screen.ts';

/** Hours a card's NEWS2 sparkline spans: a shift (as GET /api/v1/news2/trends answers). */
const SPARKLINE_HOURS = 12;

/** How often staleness and ages are re-checked while no reading arrives, in milliseconds. */
const TICK_MS = 5000;

interface CardView {
  element: HTMLElement;
  update(slot: BoardSlot): void;
}

/**
 * The ward board: one card per bed with the patient's latest vitals, live.
 * Cards are kept and updated in place (not redrawn), so focus, selection and
 * screen readers are not disturbed by readings arriving every second.
 */
export function wardBoardScreen(store: WardStore): Screen {
  const grid = h('div', { class: 'board', attrs: { role: 'list' } });
  const empty = h('p', { class: 'note', text: t('board.empty') });
  const summary = h('p', { class: 'board__summary', attrs: { role: 'status' } });
  const problem = h('p', { class: 'status-line', data: { kind: 'error' } });
  const element = h(
    'section',
    { class: 'screen', attrs: { 'aria-labelledby': 'board-title' } },
    h('h1', { text: t('board.title'), attrs: { id: 'board-title' } }),
    summary,
    problem,
    grid,
    empty,
  );
  const cards = new Map<string, CardView>();

  const render = () => {
    problem.hidden = store.lastError === undefined;
    setText(problem, store.lastError === undefined ? '' : errorText(store.lastError));
    const slots = boardSlots([...store.patients.values()], store.beds);
    empty.hidden = slots.length > 0 || store.lastError !== undefined;
    const occupied = slots.filter((slot) => slot.patient).length;
    setText(
      summary,
      t('board.summary', { occupied, free: slots.filter((slot) => slot.state === 'free').length }),
    );
    const keep = new Set(slots.map((slot) => slot.key));
    for (const [key, card] of cards)
      if (!keep.has(key)) {
        card.element.remove();
        cards.delete(key);
      }
    slots.forEach((slot, index) => {
      let card = cards.get(slot.key);
      if (!card) {
        card = bedCard(store);
        cards.set(slot.key, card);
      }
      card.update(slot);
      if (grid.children[index] !== card.element)
        grid.insertBefore(card.element, grid.children[index] ?? null);
    });
  };
  const unsubscribe = store.subscribe((topic) => {
    if (topic === 'board' || topic === 'alerts') render();
  });
  const tick = setInterval(render, TICK_MS);
  render();
  return {
    element,
    dispose() {
      unsubscribe();
      clearInterval(tick);
    },
  };
}

function bedCard(store: WardStore): CardView {
  const title = h('h2', { class: 'card__bed' });
  const ward = h('span', { class: 'card__ward' });
  const name = h('a', { class: 'card__name', data: { route: '' } });
  const alertBadge = h('span', { class: 'card__alert' });
  const stateLabel = h('p', { class: 'card__state' });
  const vitals = h('dl', { class: 'vitals' });
  const news2 = news2Badge();
  const sparkline = h('div', { class: 'card__sparkline' });
  let drawnSparkline = '';
  const cells = new Map<VitalParameter, { cell: HTMLElement; value: HTMLElement; note: HTMLElement }>();
  for (const parameter of vitalParameters) {
    const value = h('dd', { class: 'vital__value' });
    const note = h('span', { class: 'vital__note' });
    const cell = h(
      'div',
      { class: 'vital', data: { parameter } },
      h('dt', { class: 'vital__label' }, vitalLabel(parameter), h('span', { class: 'vital__unit' })),
      value,
      note,
    );
    cells.set(parameter, { cell, value, note });
    vitals.append(cell);
  }
  const element = h(
    'article',
    { class: 'card', attrs: { role: 'listitem' } },
    h(
      'header',
      { class: 'card__header' },
      h('span', { class: 'card__place' }, icon('bed'), title, ward),
      alertBadge,
    ),
    name,
    stateLabel,
    news2.element,
    sparkline,
    vitals,
  );
  return {
    element,
    update(slot) {
      const patient = slot.patient;
      element.dataset.bed = slot.bed ?? '';
      element.dataset.state = slot.state;
      element.dataset.patientId = patient?.patientId ?? '';
      setText(title, slot.bed ? t('board.bed', { bed: slot.bed }) : t('board.noBed'));
      setText(ward, slot.ward);
      name.hidden = !patient;
      vitals.hidden = !patient;
      news2.element.hidden = !patient;
      sparkline.hidden = !patient;
      stateLabel.hidden = Boolean(patient);
      setText(
        stateLabel,
        t(
          slot.state === 'reserved'
            ? 'board.reserved'
            : slot.state === 'occupied'
              ? 'board.occupied'
              : 'board.free',
        ),
      );
      if (!patient) return;
      setText(name, `${patient.firstName} ${patient.lastName}`);
      name.href = pathOf({ name: 'patient', patientId: patient.patientId });
      const open = [...store.alerts.values()].filter((alert) => alert.patientId === patient.patientId);
      const active = open.filter((alert) => alert.status === 'active');
      const worst = active.some((alert) => alert.priority === 'high')
        ? 'high'
        : active.length
          ? 'medium'
          : '';
      element.dataset.alert = worst;
      alertBadge.hidden = active.length === 0;
      setText(alertBadge, active.length ? t('board.alerts', { count: active.length }) : '');
      const alerting = new Set(open.map((alert) => alert.parameter));
      const readings = store.vitals.get(patient.patientId) ?? {};
      const score = boardNews2(readings, store.observations.get(patient.patientId) ?? {});
      news2.update(score);
      const now = gatewayNow();
      const live = score.missing.length < 7 ? score : undefined;
      const points = withLiveScore(store.news2Trends.get(patient.patientId) ?? [], live, now);
      // Redrawn only when a point changed: readings arrive every second, the line moves far less often.
      const key = JSON.stringify(points);
      if (key !== drawnSparkline) {
        drawnSparkline = key;
        sparkline.replaceChildren(news2Sparkline(points, now, SPARKLINE_HOURS));
      }
      for (const [parameter, view] of cells)
        updateCell(view, parameter, readings[parameter], alerting.has(parameter), now);
    },
  };
}

function updateCell(
  view: { cell: HTMLElement; value: HTMLElement; note: HTMLElement },
  parameter: VitalParameter,
  reading: BoardReading | undefined,
  alerting: boolean,
  now: number,
): void {
  const unit = view.cell.querySelector('.vital__unit');
  if (unit) setText(unit, reading ? unitLabel(reading.unit) : '');
  if (!reading) {
    setText(view.value, '–');
    setText(view.note, t('board.noReading'));
    view.cell.dataset.status = 'none';
    view.cell.dataset.stale = 'false';
    return;
  }
  const status = vitalStatus(parameter, reading.value);
  const stale = isStale(reading, now);
  setText(view.value, vitalValue(reading.value, parameter));
  view.cell.dataset.status = alerting && status === 'normal' ? 'warning' : status;
  view.cell.dataset.stale = String(stale);
  view.cell.title = fmt.dateTime(reading.measuredAt);
  const age = (now - Date.parse(reading.recordedAt)) / 1000;
  // Words as well as colour: out of range and stale are said, not only shown.
  const notes = [
    status === 'critical' ? t('board.critical') : status === 'warning' ? t('board.outOfRange') : '',
    stale ? t('board.stale', { ago: fmt.age(age) }) : '',
    reading.method === 'manual' ? t('board.manual') : '',
  ].filter(Boolean);
  setText(view.note, notes.join(' · '));
}
