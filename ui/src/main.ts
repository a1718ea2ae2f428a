import { type AlarmTone, createAlarmTone } from './alarm/alarmTone.ts';
import { alertBar } from './alerts/alertBar.ts';
import {
  ApiError,
  actAsWithoutSession,
  api,
  onSignedOut,
  reportUserActivity,
  type SignedInUser,
} from './api.ts';
import { h } from './dom.ts';
import { isMessageKey, type MessageKey } from './i18n/i18n.ts';
import { applyLocaleToDocument, fmt, locale, onLocaleChange, setLocale, t } from './i18n/locale.ts';
import { icon } from './icons.ts';
import type { Health } from './model.ts';
import { interceptLinks, navigate, onNavigate, pathOf, type Route, routeOf } from './router.ts';
import { alertsScreen } from './screens/alertsScreen.ts';
import { loginScreen } from './screens/loginScreen.ts';
import { patientChartScreen } from './screens/patientChart.ts';
import { patientsScreen } from './screens/patientsScreen.ts';
import { flowsheetScreen } from './screens/flowsheet/flowsheetScreen.ts';
import type { Screen } from './screens/screen.ts';
import { syncScreen } from './screens/syncScreen.ts';
import { labWorklistScreen } from './screens/labWorklist.ts';
import { handoverScreen } from './screens/handover/handoverScreen.ts';
import { wardBoardScreen } from './screens/wardBoard.ts';
import { createWardStore, type WardStore } from './wardStore.ts';

/** Who acts on a gateway without sign-in, kept for this tab only. */
const headerActorKey = 'nilecare.actor';
/** How often /health is read for the storage banner, in milliseconds. */
const HEALTH_POLL_MS = 30_000;

const root = document.getElementById('app') ?? document.body;
const tone: AlarmTone = createAlarmTone(document.documentElement);
let store: WardStore | undefined;
let signedIn: { user: SignedInUser; viaSession: boolean } | undefined;
let screen: Screen | undefined;
let shellDispose: (() => void) | undefined;

applyLocaleToDocument();
interceptLinks(root);
// Browsers allow sound only after the person has interacted with the page; the
// gateway counts only what the person does as activity (docs/security-access.md#sessions).
for (const type of ['pointerdown', 'keydown'] as const)
  document.addEventListener(
    type,
    () => {
      tone.unlock();
      if (signedIn?.viaSession) reportUserActivity();
    },
    { capture: true },
  );
onSignedOut((reason) => showLogin(reason === 'expired' ? 'expired' : undefined));
onLocaleChange(() => (signedIn ? showShell() : showLogin()));
onNavigate((route) => showScreen(route));
void start();

async function start(): Promise<void> {
  try {
    const { user } = await api.get<{ user: SignedInUser }>('/api/v1/session');
    signIn(user, true);
  } catch (error) {
    if (error instanceof ApiError && error.unavailable) {
      const stored = sessionStorage.getItem(headerActorKey);
      if (stored) return signIn(JSON.parse(stored) as SignedInUser, false);
    }
    showLogin();
  }
}

function signIn(user: SignedInUser, viaSession: boolean): void {
  signedIn = { user, viaSession };
  actAsWithoutSession(viaSession ? undefined : user);
  if (!viaSession) sessionStorage.setItem(headerActorKey, JSON.stringify(user));
  store?.stop();
  store = createWardStore();
  store.start();
  if (location.pathname === '/' || location.pathname === '/login') history.replaceState(null, '', '/board');
  showShell();
}

function showLogin(notice?: 'expired'): void {
  store?.stop();
  store = undefined;
  signedIn = undefined;
  tone.update([]);
  shellDispose?.();
  screen?.dispose();
  screen = undefined;
  root.replaceChildren(loginScreen(signIn, notice));
}

async function signOut(): Promise<void> {
  sessionStorage.removeItem(headerActorKey);
  actAsWithoutSession(undefined);
  await api.delete('/api/v1/session').catch(() => undefined);
  showLogin();
}

function showShell(): void {
  if (!store || !signedIn) return;
  shellDispose?.();
  const { user, viaSession } = signedIn;
  const main = h('main', { attrs: { id: 'main', tabindex: '-1' } });
  const live = h('span', { class: 'live', attrs: { role: 'status' } });
  const renderLive = () => {
    live.dataset.state = store?.live ?? 'connecting';
    live.textContent = t(
      store?.live === 'live'
        ? 'live.live'
        : store?.live === 'reconnecting'
          ? 'live.reconnecting'
          : 'live.connecting',
    );
  };
  const mute = h('button', { class: 'button button--plain', attrs: { type: 'button', id: 'mute' } });
  const renderMute = () => {
    const until = tone.mutedUntil();
    mute.replaceChildren(
      icon(until ? 'mute' : 'sound'),
      until ? t('alarm.muted', { time: fmt.time(new Date(until).toISOString()) }) : t('alarm.mute'),
    );
    mute.setAttribute('aria-pressed', String(Boolean(until)));
  };
  mute.addEventListener('click', () => (tone.mutedUntil() ? tone.unmute() : tone.mute()));
  const stopMuteUpdates = tone.onChange(renderMute);
  const other = locale() === 'ar' ? 'en' : 'ar';
  const languageButton = h(
    'button',
    {
      class: 'button button--plain',
      attrs: { type: 'button', id: 'language', lang: other },
      on: { click: () => setLocale(other) },
    },
    icon('language'),
    t(other === 'ar' ? 'language.ar' : 'language.en'),
  );
  const nav = h(
    'nav',
    { class: 'nav', attrs: { 'aria-label': t('nav.label') } },
    ...(
      [
        ['board', 'nav.board', 'bed'],
        ['alerts', 'nav.alerts', 'bell'],
        ['patients', 'nav.patients', 'users'],
        ['lab-orders', 'nav.labOrders', 'check'],
        ['handover', 'nav.handover', 'users'],
        ['sync', 'nav.sync', 'sync'],
      ] as const
    ).map(([name, label, iconName]) =>
      h(
        'a',
        { class: 'nav__link', data: { route: '', nav: name }, attrs: { href: pathOf({ name } as Route) } },
        icon(iconName),
        t(label),
      ),
    ),
  );
  const storageBanner = h('p', {
    class: 'banner banner--warning',
    attrs: { role: 'alert', id: 'storage-banner' },
  });
  storageBanner.hidden = true;
  const facility = h('span', { class: 'brand__facility' });
  const header = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'skip', text: t('nav.skip'), attrs: { href: '#main' } }),
    h('span', { class: 'brand' }, h('strong', { text: t('app.name') }), facility),
    nav,
    h(
      'span',
      { class: 'topbar__tools' },
      live,
      mute,
      languageButton,
      h(
        'span',
        { class: 'user', attrs: { id: 'user' } },
        `${user.displayName} · ${t(`role.${user.role}` as Parameters<typeof t>[0])}`,
      ),
      h(
        'button',
        {
          class: 'button button--plain',
          attrs: { type: 'button', id: 'sign-out' },
          on: { click: () => void signOut() },
        },
        icon('logout'),
        t('login.signOut'),
      ),
    ),
  );
  const bar = alertBar(store, tone);
  root.replaceChildren(
    header,
    viaSession
      ? ''
      : h('p', { class: 'banner banner--info', text: t('login.noSessions', { name: user.displayName }) }),
    storageBanner,
    bar.element,
    main,
  );
  const readHealth = async () => {
    try {
      const health = await api.getInBackground<Health>('/health');
      facility.textContent = ` · ${health.facilityId}`;
      const storage = health.storage;
      storageBanner.hidden = !storage || storage.state === 'ok';
      if (storage && storage.state !== 'ok') {
        storageBanner.dataset.state = storage.state;
        storageBanner.textContent = t(storage.state === 'critical' ? 'storage.critical' : 'storage.low', {
          free: fmt.number(storage.freeBytes / 1024 ** 3, 1),
          refusing:
            storage.refusing
              .map((lane) => (isMessageKey(`lane.${lane}`) ? t(`lane.${lane}` as MessageKey) : lane))
              .join(', ') || '–',
        });
      }
    } catch {
      // The live indicator already says when the gateway cannot be reached.
    }
  };
  const unsubscribe = store.subscribe((topic) => {
    if (topic === 'live') renderLive();
  });
  const healthTimer = setInterval(() => void readHealth(), HEALTH_POLL_MS);
  void readHealth();
  renderLive();
  renderMute();
  shellDispose = () => {
    unsubscribe();
    stopMuteUpdates();
    bar.dispose();
    clearInterval(healthTimer);
  };
  showScreen(routeOf(location.pathname), main);
}

function showScreen(route: Route, into?: HTMLElement): void {
  const main = into ?? document.getElementById('main');
  if (!main || !store) return;
  screen?.dispose();
  screen =
    route.name === 'alerts'
      ? alertsScreen(store)
      : route.name === 'patients'
        ? patientsScreen(store)
        : route.name === 'patient'
          ? patientChartScreen(store, route.patientId, signedIn?.user.role ?? '')
          : route.name === 'flowsheet'
            ? flowsheetScreen(route.patientId)
            : route.name === 'sync'
              ? syncScreen(store)
              : route.name === 'lab-orders'
                ? labWorklistScreen()
                : route.name === 'handover'
                  ? handoverScreen()
                  : wardBoardScreen(store);
  main.replaceChildren(screen.element);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('.nav__link')) {
    const current =
      link.dataset.nav === route.name ||
      ((route.name === 'patient' || route.name === 'flowsheet') && link.dataset.nav === 'patients');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!into) main.focus({ preventScroll: true });
}

export { navigate };
