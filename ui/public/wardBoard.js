// The interim ward board: patients with their latest vitals and the open
// alerts, kept live from the gateway's Server-Sent Events stream. The full
// nurse UI (login, Arabic, patient work) replaces this page.
const labels = {
  oxygenSaturation: ['SpO₂', '%'],
  heartRate: ['HR', '/min'],
  respiratoryRate: ['RR', '/min'],
  systolicBloodPressure: ['SYS', 'mmHg'],
  diastolicBloodPressure: ['DIA', 'mmHg'],
  temperature: ['Temp', '°C'],
};

const state = { patients: new Map(), charts: new Map(), alerts: [] };
const $ = (id) => document.getElementById(id);

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

async function refreshPatient(patientId) {
  const chart = await getJson(`/api/v1/patients/${encodeURIComponent(patientId)}`);
  state.charts.set(patientId, chart);
}

async function refreshAll() {
  const { patients } = await getJson('/api/v1/patients');
  state.patients = new Map(patients.map((patient) => [patient.patientId, patient]));
  await Promise.all(patients.map((patient) => refreshPatient(patient.patientId)));
  state.alerts = (await getJson('/api/v1/alerts')).alerts;
  render();
}

function openAlertParameters(patientId) {
  return new Set(
    state.alerts.filter((alert) => alert.patientId === patientId).map((alert) => alert.parameter),
  );
}

function vitalCell(name, reading, alerting) {
  const [label, unit] = labels[name];
  const cell = document.createElement('div');
  cell.className = `vital${reading?.stale ? ' stale' : ''}${alerting ? ' out' : ''}`;
  cell.innerHTML = `<span class="label">${label} ${unit}</span><span class="value">${reading ? reading.value : '–'}</span>`;
  if (reading?.stale) cell.title = `no reading for ${reading.ageSeconds} s`;
  return cell;
}

function render() {
  const board = $('board');
  board.replaceChildren();
  const admitted = [...state.patients.values()].filter((patient) => patient.status === 'admitted');
  if (admitted.length === 0) board.innerHTML = '<p class="empty">No admitted patients.</p>';
  for (const patient of admitted.sort((a, b) => (a.bed ?? '').localeCompare(b.bed ?? ''))) {
    const chart = state.charts.get(patient.patientId);
    const card = document.createElement('article');
    card.className = 'card';
    card.innerHTML = `<h3></h3><div class="place"></div><div class="vitals"></div>`;
    card.querySelector('h3').textContent = `${patient.firstName} ${patient.lastName}`;
    card.querySelector('.place').textContent = `${patient.ward ?? ''} · bed ${patient.bed ?? '–'}`;
    const alerting = openAlertParameters(patient.patientId);
    const vitals = card.querySelector('.vitals');
    for (const name of Object.keys(labels))
      vitals.append(vitalCell(name, chart?.latestVitals?.parameters?.[name], alerting.has(name)));
    board.append(card);
  }
  const list = $('alerts');
  list.replaceChildren();
  if (state.alerts.length === 0) list.innerHTML = '<li class="empty">No open alerts.</li>';
  for (const alert of state.alerts) {
    const patient = state.patients.get(alert.patientId);
    const item = document.createElement('li');
    item.className = `alert ${alert.priority}${alert.escalationLevel > 0 ? ' escalated' : ''} ${alert.status}`;
    const who = patient
      ? `${patient.firstName} ${patient.lastName} (bed ${patient.bed ?? '–'})`
      : (alert.deviceId ?? '');
    const [label, unit] = labels[alert.parameter] ?? [alert.parameter, alert.unit ?? ''];
    const text = document.createElement('span');
    text.textContent = `${alert.priority === 'high' ? '‼' : '!'} ${who}: ${label} ${alert.value} ${unit} (${alert.direction} threshold ${alert.threshold})${alert.escalationLevel > 0 ? ` · escalated ${alert.escalationLevel}` : ''}${alert.status === 'acknowledged' ? ` · acknowledged by ${alert.acknowledgedBy?.userName}` : ''}`;
    item.append(text);
    if (alert.status === 'active') {
      const button = document.createElement('button');
      button.textContent = 'Acknowledge';
      button.addEventListener('click', () => acknowledge(alert.alertId));
      item.append(button);
    }
    list.append(item);
  }
}

async function acknowledge(alertId) {
  // Until logins arrive, the board acknowledges as the ward's duty nurse.
  await fetch(`/api/v1/alerts/${encodeURIComponent(alertId)}/acknowledge`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-nilecare-user-id': 'ward-nurse',
      'x-nilecare-user-name': 'Duty nurse',
      'x-nilecare-user-role': 'nurse',
    },
    body: '{}',
  });
  state.alerts = (await getJson('/api/v1/alerts')).alerts;
  render();
}

function connect() {
  const source = new EventSource('/api/v1/stream');
  source.onopen = () => {
    $('connection').textContent = 'live';
    refreshAll().catch(() => undefined);
  };
  source.onerror = () => {
    $('connection').textContent = 'reconnecting…';
  };
  source.addEventListener('vital_signs_recorded', async (message) => {
    const event = JSON.parse(message.data);
    if (event.patientId && state.patients.has(event.patientId)) {
      await refreshPatient(event.patientId);
      render();
    }
  });
  for (const type of ['critical_value_detected', 'alert_acknowledged', 'alert_escalated', 'alert_resolved']) {
    source.addEventListener(type, async () => {
      state.alerts = (await getJson('/api/v1/alerts')).alerts;
      render();
    });
  }
}

getJson('/health').then((health) => {
  $('facility').textContent = `· ${health.facilityId}`;
});
refreshAll().catch(() => undefined);
connect();
