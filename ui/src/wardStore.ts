import { ApiError, api, checkSession } from './api.ts';
import { type BoardVitals, withReading } from './board/vitalSigns.ts';
import { type BoardObservations, observationsOfChart, withObservations } from './news2/boardNews2.ts';
import type { Alert, Bed, Device, News2Trends, Patient, PatientChart, StreamEvent } from './model.ts';

/** `vitals`: a reading of one patient, or an alert raised for them, arrived (the patient's id comes with it). */
export type WardTopic = 'board' | 'alerts' | 'devices' | 'live' | 'vitals';
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * What the ward board, the alert bar and the device list show, kept current
 * by the gateway's live stream (Server-Sent Events, /api/v1/stream). After
 * each (re)connection everything is read again, so nothing missed while the
 * tablet's Wi-Fi was down stays missing; the browser's EventSource also
 * resumes with Last-Event-ID.
 */
export interface WardStore {
  patients: Map<string, Patient>;
  vitals: Map<string, BoardVitals>;
  /** Air or oxygen and consciousness (hand entries), for NEWS2. */
  observations: Map<string, BoardObservations>;
  /** Each admitted patient's NEWS2 of the last hours, hourly worst, for the cards' sparklines. */
  news2Trends: Map<string, News2Trends['patients'][number]['points']>;
  /** Open alerts: active or acknowledged, not yet resolved. */
  alerts: Map<string, Alert>;
  /** Undefined when this gateway has no bed list (GET /api/v1/beds). */
  beds: Bed[] | undefined;
  devices: Map<string, Device>;
  live: LiveState;
  /** Why the last reading of the lists failed (a role without clinical access gets 403), until one succeeds. */
  lastError: unknown;
  /** Reads everything again from the gateway. */
  refresh(): Promise<void>;
  refreshPatients(): Promise<void>;
  refreshNews2Trends(): Promise<void>;
  subscribe(listener: (topic: WardTopic, patientId?: string) => void): () => void;
  start(): void;
  stop(): void;
}

export function createWardStore(): WardStore {
  const listeners = new Set<(topic: WardTopic, patientId?: string) => void>();
  const notify = (topic: WardTopic, patientId?: string) => {
    for (const listener of listeners) listener(topic, patientId);
  };
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  let trendPoll: ReturnType<typeof setInterval> | undefined;

  const store: WardStore = {
    patients: new Map(),
    vitals: new Map(),
    observations: new Map(),
    news2Trends: new Map(),
    alerts: new Map(),
    beds: undefined,
    devices: new Map(),
    live: 'connecting',
    lastError: undefined,
    async refreshPatients() {
      const { patients } = await api.getInBackground<{ patients: Patient[] }>('/api/v1/patients');
      store.patients = new Map(patients.map((patient) => [patient.patientId, patient]));
      try {
        store.beds = await api
          .getInBackground<Bed[] | { beds: Bed[] }>('/api/v1/beds')
          .then((body) => (Array.isArray(body) ? body : body.beds));
      } catch (error) {
        if (!(error instanceof ApiError && error.unavailable)) throw error;
        store.beds = undefined;
      }
      notify('board');
    },
    async refreshNews2Trends() {
      // One request for the whole board, not one per bed.
      const { patients } = await api.getInBackground<News2Trends>('/api/v1/news2/trends');
      store.news2Trends = new Map(patients.map(({ patientId, points }) => [patientId, points]));
      notify('board');
    },
    async refresh() {
      await store.refreshPatients();
      const admitted = [...store.patients.values()].filter((patient) => patient.status === 'admitted');
      const charts = await Promise.all(
        admitted.map((patient) =>
          api
            .getInBackground<PatientChart>(`/api/v1/patients/${encodeURIComponent(patient.patientId)}`)
            .then((chart) => [patient.patientId, chart] as const),
        ),
      );
      for (const [patientId, chart] of charts) {
        store.vitals.set(patientId, chart.latestVitals?.parameters ?? {});
        store.observations.set(patientId, observationsOfChart(chart.latestVitals));
      }
      notify('board');
      await store.refreshNews2Trends().catch(() => undefined);
      const { alerts } = await api.getInBackground<{ alerts: Alert[] }>('/api/v1/alerts');
      store.alerts = new Map(alerts.map((alert) => [alert.alertId, alert]));
      notify('alerts');
      const { devices } = await api.getInBackground<{ devices: Device[] }>('/api/v1/devices');
      store.devices = new Map(devices.map((device) => [device.deviceId, device]));
      notify('devices');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      connect();
      // Admissions and discharges are not on the live stream (they carry demographics): read them now and then.
      poll = setInterval(() => void store.refreshPatients().catch(() => undefined), 15_000);
      // The sparklines' earlier hours change only as hours pass; the current hour follows the live score.
      trendPoll = setInterval(() => void store.refreshNews2Trends().catch(() => undefined), 300_000);
    },
    stop() {
      source?.close();
      source = undefined;
      if (retry) clearTimeout(retry);
      if (poll) clearInterval(poll);
      if (trendPoll) clearInterval(trendPoll);
    },
  };

  const setLive = (live: LiveState) => {
    if (store.live === live) return;
    store.live = live;
    notify('live');
  };

  const handlers: Record<string, (event: StreamEvent) => void> = {
    vital_signs_recorded(event) {
      const deviceId = event.data.deviceId as string | undefined;
      if (deviceId) {
        const device = store.devices.get(deviceId);
        if (device) {
          // As the devices read model measures it (gateway/projections/devices.ts).
          const offset = Math.round(
            (Date.parse(String(event.data.measuredAt)) - Date.parse(event.recordedAt)) / 1000,
          );
          store.devices.set(deviceId, {
            ...device,
            lastSeenAt: event.recordedAt,
            readings: device.readings + 1,
            clockOffsetSeconds: Number.isFinite(offset) ? offset : device.clockOffsetSeconds,
            implausibleClockReadings:
              device.implausibleClockReadings + (event.metadata?.deviceClockImplausible ? 1 : 0),
          });
          notify('devices');
        }
      }
      if (!event.patientId) return;
      store.vitals.set(event.patientId, withReading(store.vitals.get(event.patientId) ?? {}, event));
      store.observations.set(
        event.patientId,
        withObservations(store.observations.get(event.patientId) ?? {}, event),
      );
      notify('board');
      notify('vitals', event.patientId);
    },
    critical_value_detected(event) {
      const data = event.data as unknown as Alert & { supersedesAlertId?: string };
      if (data.supersedesAlertId) store.alerts.delete(data.supersedesAlertId);
      const { supersedesAlertId: _superseded, ...fields } = data;
      store.alerts.set(data.alertId, {
        ...fields,
        ...(event.patientId ? { patientId: event.patientId } : {}),
        raisedAt: event.recordedAt,
        status: 'active',
        escalationLevel: 0,
      });
      notify('alerts');
      if (event.patientId) notify('vitals', event.patientId);
    },
    alert_acknowledged(event) {
      const alertId = event.data.alertId as string;
      const alert = store.alerts.get(alertId);
      if (alert?.status !== 'active') return;
      store.alerts.set(alertId, {
        ...alert,
        status: 'acknowledged',
        acknowledgedAt: (event.data.acknowledgedAt as string) ?? event.recordedAt,
        acknowledgedBy: {
          userId: event.userId ?? '',
          userName: event.userName ?? '',
          userRole: event.userRole ?? '',
        },
      });
      notify('alerts');
    },
    alert_escalated(event) {
      const alert = store.alerts.get(event.data.alertId as string);
      if (!alert) return;
      alert.escalationLevel = Math.max(alert.escalationLevel, Number(event.data.level) || 0);
      notify('alerts');
    },
    alert_resolved(event) {
      if (store.alerts.delete(event.data.alertId as string)) notify('alerts');
    },
    // The bed board changes with each admission saga step (ids and beds only on the stream, no PHI).
    bed_reserved: bedsChanged,
    bed_released: bedsChanged,
    admission_saga_completed: bedsChanged,
    admission_saga_failed: bedsChanged,
    // Admissions, transfers and discharges arrive without their data: the lists are read again.
    patient_admitted: bedsChanged,
    patient_transferred: bedsChanged,
    patient_discharged: bedsChanged,
    encounter_closed: bedsChanged,
    device_connected(event) {
      deviceChanged(event, true);
    },
    device_disconnected(event) {
      deviceChanged(event, false);
    },
  };

  /** Reads everything, remembering a failure for the board to show instead of an empty ward. */
  async function readAll() {
    try {
      await store.refresh();
      store.lastError = undefined;
    } catch (error) {
      store.lastError = error;
    }
    notify('board');
  }

  function bedsChanged() {
    void store.refreshPatients().catch(() => undefined);
  }

  function deviceChanged(event: StreamEvent, connected: boolean) {
    const deviceId = event.data.deviceId as string;
    const device = store.devices.get(deviceId);
    if (!device) {
      void store.refresh().catch(() => undefined);
      return;
    }
    store.devices.set(deviceId, {
      ...device,
      connected,
      ...(connected ? { lastSeenAt: event.recordedAt, disconnectReason: null } : {}),
      ...(!connected ? { disconnectReason: (event.data.reason as string) ?? null } : {}),
    });
    notify('devices');
  }

  function connect() {
    source?.close();
    setLive('connecting');
    const stream = new EventSource('/api/v1/stream');
    source = stream;
    stream.onopen = () => {
      setLive('live');
      void readAll();
    };
    stream.onerror = () => {
      setLive('reconnecting');
      // The browser retries by itself unless the gateway refused the stream (a 401 after sign-out).
      if (stream.readyState === EventSource.CLOSED) {
        void checkSession();
        retry = setTimeout(connect, 3000);
      }
    };
    for (const [type, handle] of Object.entries(handlers)) {
      stream.addEventListener(type, (message) => {
        try {
          handle(JSON.parse((message as MessageEvent<string>).data) as StreamEvent);
        } catch {
          // A malformed message must not stop the stream; the next refresh corrects the view.
        }
      });
    }
  }

  return store;
}
