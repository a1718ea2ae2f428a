import { ApiError } from '../../api.ts';
import { type Child, h } from '../../dom.ts';
import { errorText, unavailableNote } from '../../forms.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { t } from '../../i18n/locale.ts';

/** A titled part of the patient chart that loads its own data; a part the gateway lacks says so and the rest works. */
export function chartSection(
  id: string,
  title: MessageKey,
  load: (body: HTMLElement) => Promise<void>,
  ...extra: Child[]
): HTMLElement & { reload(): Promise<void> } {
  const body = h('div', { class: 'section__body' });
  const section = h(
    'section',
    { class: 'chart-section', attrs: { id, 'aria-labelledby': `${id}-title` } },
    h('h2', { text: t(title), attrs: { id: `${id}-title` } }),
    body,
    ...extra,
  ) as HTMLElement & { reload(): Promise<void> };
  section.reload = async () => {
    try {
      await load(body);
    } catch (error) {
      body.replaceChildren(
        error instanceof ApiError && error.unavailable
          ? unavailableNote()
          : h('p', { class: 'status-line', data: { kind: 'error' }, text: errorText(error) }),
      );
      if (error instanceof ApiError && error.unavailable) section.dataset.unavailable = 'true';
    }
  };
  void section.reload();
  return section;
}

/** A compact list, or a note that it is empty. */
export function listOrNone(items: HTMLElement[], none: MessageKey): HTMLElement {
  return items.length
    ? h('ul', { class: 'record-list' }, ...items)
    : h('p', { class: 'note', text: t(none) });
}
