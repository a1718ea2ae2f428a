import { ApiError, api, type SignedInUser } from '../api.ts';
import { h } from '../dom.ts';
import { button, errorText, field, input, statusLine } from '../forms.ts';
import { t } from '../i18n/locale.ts';

/**
 * Sign-in. A gateway without sign-in (GET/POST /api/v1/session answer 404:
 * an older gateway) is told who acts by the X-NileCare-User-* headers
 * instead; the screen says so, so nobody mistakes it for a checked password.
 */
export function loginScreen(
  onSignedIn: (user: SignedInUser, viaSession: boolean) => void,
  notice?: 'expired',
): HTMLElement {
  const username = input('username', {
    required: '',
    autocomplete: 'username',
    maxlength: '64',
    id: 'login-username',
  });
  const password = input('password', {
    type: 'password',
    autocomplete: 'current-password',
    maxlength: '200',
    id: 'login-password',
  });
  const status = statusLine();
  const form = h(
    'form',
    { class: 'form login', attrs: { id: 'login-form' } },
    h('h1', { text: t('login.title') }),
    notice === 'expired'
      ? h('p', { class: 'banner banner--info', attrs: { role: 'status' }, text: t('login.expired') })
      : null,
    field('login.username', username),
    field('login.password', password),
    status,
    button('login.submit', { kind: 'primary', type: 'submit' }),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    status.reset();
    try {
      const { user } = await api.post<{ user: SignedInUser }>('/api/v1/session', {
        username: username.value.trim(),
        password: password.value,
      });
      onSignedIn(user, true);
    } catch (error) {
      if (error instanceof ApiError && error.unavailable) {
        const name = username.value.trim();
        onSignedIn({ userId: name, username: name, displayName: name, role: 'nurse' }, false);
        return;
      }
      status.show(error instanceof ApiError && error.status === 401 ? t('login.refused') : errorText(error));
      password.value = '';
      password.focus();
    }
  });
  queueMicrotask(() => username.focus());
  return h('main', { class: 'login-page' }, form);
}
