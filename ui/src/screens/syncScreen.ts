import { api, gatewayNow } from '../api.ts';
import { h } from '../dom.ts';
import { errorText } from '../forms.ts';
import { fmt, t } from '../i18n/locale.ts';
import type { Device, SyncStatus } from '../model.ts';
import type { WardStore } from '../wardStore.ts';
import { deviceClockText } from './deviceClockText.ts';
import { qcResultsSection } from './qcResults.ts';
import type { Screen } from './screen.ts';

/** How often the sync figures are read again, in milliseconds. */
const SYNC_POLL_MS = 5000;

/** Whether the clinic's records have reached the hub, and every device with its connection state. */
export function syncScreen(store: WardStore): Screen {
  const sync = h('dl', { class: 'facts', attrs: { id: 'sync-status' } });
  const syncError = h('p', { class: 'status-line', attrs: { role: 'status' } });
  const devices = h('tbody');
  const qc = qcResultsSection(store);
  const element = h(
    'section',
    { class: 'screen' },
    h('h1', { text: t('sync.title') }),
    h('h2', { text: t('sync.hub') }),
    sync,
    syncError,
    h('h2', { text: t('devices.title') }),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', attrs: { id: 'devices' } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...(
              [
                'devices.device',
                'devices.bed',
                'devices.state',
                'devices.lastSeen',
                'devices.readings',
                'devices.clock',
              ] as const
            ).map((key) => h('th', { text: t(key), attrs: { scope: 'col' } })),
          ),
        ),
        devices,
      ),
    ),
    qc.element,
  );

  const fact = (label: string, value: string, state?: string) =>
    [h('dt', { text: label }), h('dd', { text: value, data: { state } })] as const;

  const readSync = async () => {
    try {
      const status = await api.getInBackground<SyncStatus>('/api/v1/sync');
      syncError.textContent = '';
      const reachable = status.configured && status.connected;
      sync.replaceChildren(
        ...fact(
          t('sync.reachable'),
          !status.configured ? t('sync.notConfigured') : reachable ? t('sync.yes') : t('sync.no'),
          reachable ? 'ok' : 'warn',
        ),
        ...fact(t('sync.backlog'), t('sync.events', { count: status.backlog })),
        ...fact(
          t('sync.oldest'),
          status.oldestUnsyncedSeconds === null
            ? t('sync.nothingWaiting')
            : fmt.age(status.oldestUnsyncedSeconds),
        ),
        ...fact(
          t('sync.lastSuccess'),
          status.lastSuccessfulSendAt ? fmt.dateTime(status.lastSuccessfulSendAt) : t('sync.never'),
        ),
        ...(status.lastError
          ? fact(
              t('sync.lastError'),
              `${status.lastError.code} · ${fmt.dateTime(status.lastError.at)}`,
              'warn',
            )
          : []),
      );
    } catch (error) {
      syncError.textContent = errorText(error);
    }
  };

  const renderDevices = () => {
    const now = gatewayNow();
    const list = [...store.devices.values()].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    devices.replaceChildren(
      ...list.map((device) =>
        h(
          'tr',
          { data: { deviceId: device.deviceId, connected: String(device.connected) } },
          h('th', { text: device.deviceId, attrs: { scope: 'row' } }),
          h('td', { text: device.bed ?? '–' }),
          h('td', {
            class: device.connected ? 'state state--ok' : 'state state--off',
            text: device.connected ? t('devices.connected') : t('devices.disconnected'),
          }),
          h('td', {
            text: device.lastSeenAt ? fmt.age((now - Date.parse(device.lastSeenAt)) / 1000) : t('sync.never'),
            attrs: { title: device.lastSeenAt ? fmt.dateTime(device.lastSeenAt) : '' },
          }),
          h('td', { text: fmt.number(device.readings, 0) }),
          clockCell(device),
        ),
      ),
    );
    if (list.length === 0)
      devices.append(h('tr', {}, h('td', { text: t('devices.none'), attrs: { colspan: '6' } })));
  };
  const unsubscribe = store.subscribe((topic) => {
    if (topic === 'devices') renderDevices();
  });
  const poll = setInterval(() => {
    void readSync();
    void qc.refresh();
    renderDevices();
  }, SYNC_POLL_MS);
  void readSync();
  void qc.refresh();
  renderDevices();
  return {
    element,
    dispose() {
      unsubscribe();
      clearInterval(poll);
    },
  };
}

/** How far the device clock is from the gateway's, and how many readings came with an impossible time. */
function clockCell(device: Device): HTMLTableCellElement {
  const offset = deviceClockText(device.clockOffsetSeconds);
  const implausible = device.implausibleClockReadings;
  return h(
    'td',
    {
      class: implausible > 0 ? 'state state--off' : '',
      data: { clockOffsetSeconds: String(device.clockOffsetSeconds) },
    },
    t(offset.key, { amount: offset.amount ?? 0, unit: offset.unit ? t(offset.unit) : '' }),
    implausible > 0 ? h('div', { text: t('devices.clockImplausible', { count: implausible }) }) : null,
  );
}
