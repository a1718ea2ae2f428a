import { ApiError } from './api.ts';
import { type Child, h } from './dom.ts';
import type { MessageKey } from './i18n/i18n.ts';
import { t } from './i18n/locale.ts';

/** A labelled form control; the label is tied to the control for screen readers and clicks. */
export function field(
  label: MessageKey,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: MessageKey,
): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h(
    'div',
    { class: 'field' },
    h('label', { text: t(label), attrs: { for: id } }),
    control,
    hint ? h('small', { class: 'hint', text: t(hint) }) : null,
  );
}

export function input(name: string, attrs: Record<string, string> = {}): HTMLInputElement {
  return h('input', { attrs: { name, type: 'text', autocomplete: 'off', ...attrs } });
}

export function select(
  name: string,
  options: readonly [string, string][],
  attrs: Record<string, string> = {},
): HTMLSelectElement {
  const element = h('select', { attrs: { name, ...attrs } });
  for (const [value, label] of options) element.append(h('option', { text: label, attrs: { value } }));
  return element;
}

export function button(
  label: MessageKey,
  props: { kind?: 'primary' | 'danger' | 'plain'; type?: 'submit' | 'button'; onClick?: () => void } = {},
  ...children: Child[]
): HTMLButtonElement {
  return h(
    'button',
    {
      class: `button button--${props.kind ?? 'plain'}`,
      attrs: { type: props.type ?? 'button' },
      ...(props.onClick ? { on: { click: props.onClick } } : {}),
    },
    ...children,
    t(label),
  );
}

/** Which message a coded gateway error is shown with. */
const messageOfCode: Record<string, MessageKey> = {
  GW_ERR_ROUTE_UNKNOWN: 'error.unavailable',
  GW_ERR_ROLE_FORBIDDEN: 'error.forbidden',
  GW_ERR_AUTH_REQUIRED: 'error.authRequired',
  GW_ERR_SESSION_EXPIRED: 'error.sessionExpired',
  GW_ERR_REQUEST_INVALID: 'error.invalid',
  GW_ERR_PATIENT_UNKNOWN: 'error.patientUnknown',
  GW_ERR_PATIENT_EXISTS: 'error.patientExists',
  GW_ERR_ENCOUNTER_STATE: 'error.encounterState',
  GW_ERR_ALERT_STATE: 'error.alertState',
  GW_ERR_BED_UNAVAILABLE: 'error.bedUnavailable',
  GW_ERR_ADMISSION_FAILED: 'error.admissionFailed',
  UI_GATEWAY_UNREACHABLE: 'error.unreachable',
};

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = messageOfCode[error.code] ?? (error.status === 429 ? 'error.tooMany' : 'error.generic');
    return `${t(key)} (${error.code})`;
  }
  return t('error.generic');
}

/** A place in a form or section where an error (or a success) is announced. */
export function statusLine(): HTMLElement & {
  show(text: string, kind?: 'error' | 'ok'): void;
  reset(): void;
} {
  const element = h('p', {
    class: 'status-line',
    attrs: { role: 'status', 'aria-live': 'polite' },
  }) as unknown as HTMLElement & {
    show(text: string, kind?: 'error' | 'ok'): void;
    reset(): void;
  };
  element.show = (text, kind = 'error') => {
    element.textContent = text;
    element.dataset.kind = kind;
  };
  element.reset = () => {
    element.textContent = '';
    delete element.dataset.kind;
  };
  return element;
}

/** Runs a form's action with its button disabled, showing the error if it fails. */
export async function submitting(
  form: HTMLFormElement,
  status: ReturnType<typeof statusLine>,
  action: () => Promise<void>,
): Promise<void> {
  const buttons = [...form.querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  status.reset();
  try {
    await action();
  } catch (error) {
    status.show(errorText(error));
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** The form's named values, trimmed, empty ones left out. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (typeof value === 'string' && value.trim() !== '') values[name] = value.trim();
  }
  return values;
}

/** A section for a part the gateway does not have yet: says so plainly instead of failing. */
export function unavailableNote(): HTMLElement {
  return h('p', { class: 'note', text: t('error.unavailable') });
}
