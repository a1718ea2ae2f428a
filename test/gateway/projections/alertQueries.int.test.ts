import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertQuerySql } from '../../../gateway/projections/alertQueries.ts';
import type { AlertDoc } from '../../../gateway/projections/alerts.ts';
import { openRecordedDataDir } from '../../harness/recordedDataDir.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';

let dir: ReturnType<typeof tempDataDir>;
let recorded: ReturnType<typeof openRecordedDataDir>;

beforeEach(() => {
  dir = tempDataDir();
  recorded = openRecordedDataDir(dir.path, '2025-03-07T10:00:00.000Z');
});
afterEach(() => {
  recorded.services.db.close();
  dir.remove();
});

const spo2 = (value: number) => ({
  method: 'manual',
  measuredAt: '2025-03-07T10:00:00.000Z',
  oxygenSaturation: { value, unit: '%' },
});
const nurse = { actor: { userId: 'u-1', userName: 'Nurse Huda', userRole: 'nurse' } };

describe('the indexed alert queries', () => {
  it("return the open alerts by status and a patient's alerts, resolved ones included, as the read model holds them", async () => {
    const { alerts, projections } = recorded.services;
    await recorded.record('vital_signs_recorded', spo2(86), { patientId: 'p-1' });
    await recorded.record('vital_signs_recorded', spo2(87), { patientId: 'p-2' });
    const [first, second] = ['p-1', 'p-2'].map((patientId) => alerts.ofPatient(patientId)[0]!);
    expect(
      alerts
        .open()
        .map((alert) => alert.alertId)
        .sort(),
    ).toEqual([first!.alertId, second!.alertId].sort());

    await recorded.record(
      'alert_acknowledged',
      { alertId: first!.alertId, acknowledgedAt: '2025-03-07T10:00:30.000Z' },
      { patientId: 'p-1', ...nurse },
    );
    expect(alerts.withStatus('active').map((alert) => alert.alertId)).toEqual([second!.alertId]);
    expect(alerts.withStatus('acknowledged').map((alert) => alert.alertId)).toEqual([first!.alertId]);

    await recorded.record('vital_signs_recorded', spo2(98), { patientId: 'p-1' });
    expect(alerts.open().map((alert) => alert.alertId)).toEqual([second!.alertId]);
    expect(alerts.ofPatient('p-1')).toEqual([projections.get<AlertDoc>('alerts', first!.alertId)]);
    expect(alerts.ofPatient('p-1')[0]!.status).toBe('resolved');
  });

  it('are answered from the partial indexes, not by reading every alert ever raised', () => {
    const plan = (sql: string) =>
      recorded.services.db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all('x')
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
    expect(plan(alertQuerySql.byStatus)).toContain('USING INDEX projection_docs_alert_status');
    expect(plan(alertQuerySql.byPatient)).toContain('USING INDEX projection_docs_alert_patient');
  });
});
