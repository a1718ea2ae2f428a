import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventDraft } from '../../../kernel/events/eventDraft.ts';
import { gatewaySources } from '../../../kernel/events/eventTypeSpec.ts';
import { uuidV7 } from '../../../kernel/events/ids.ts';
import { buildInjectedGateway, type InjectedGateway } from '../../harness/injectedGateway.ts';

let gateway: InjectedGateway;

beforeAll(async () => {
  gateway = await buildInjectedGateway();
  await gateway.services.registry.add({ deviceId: 'hem-1' });
  const at = gateway.clock().toISOString();
  const qcRun = (value: number, note?: string) =>
    eventDraft(
      {
        eventId: uuidV7(),
        eventType: 'lab_result_available',
        timestamp: at,
        facility: gateway.services.facility,
        source: gatewaySources.labDriver,
      },
      {
        resultId: `lr-qc-${value}`,
        specimen: { specimenId: 'CTRL', type: 'other' },
        testCode: 'WBC',
        testName: 'White cells',
        value,
        unit: '10*3/uL',
        resultStatus: 'final',
        deviceId: 'hem-1',
        qc: { control: 'CTRL MEDIUM', level: 'MEDIUM' },
        ...(note ? { note } : {}),
        observedAt: at,
        reportedAt: at,
      },
    );
  for (const draft of [qcRun(7.1), qcRun(105, 'CONTROL_FAILED')]) {
    const outcome = await gateway.services.recorder.record({ draft, channel: 'internal', origin: 'test' });
    expect(outcome.status).toBe('appended');
  }
});

afterAll(async () => {
  await gateway?.close();
});

describe('GET /api/v1/devices/:deviceId/qc-results', () => {
  it("shows a technician the analyzer's quality-control runs, newest first, with the failed control's comment", async () => {
    const response = await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/devices/hem-1/qc-results',
      headers: await gateway.signIn('technician'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      deviceId: 'hem-1',
      results: [
        { value: 105, note: 'CONTROL_FAILED', qc: { control: 'CTRL MEDIUM' } },
        { value: 7.1, qc: { level: 'MEDIUM' } },
      ],
    });
  });

  it('answers 404 for a device that is not registered, and 401 without a session', async () => {
    const unknown = await gateway.app.inject({
      method: 'GET',
      url: '/api/v1/devices/nobody/qc-results',
      headers: await gateway.signIn('technician'),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'GW_ERR_DEVICE_UNKNOWN' });
    const anonymous = await gateway.app.inject({ method: 'GET', url: '/api/v1/devices/hem-1/qc-results' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('never raises a critical-value alert for a control, whatever its value', () => {
    const alerts = [...gateway.services.log.iterate()].filter(
      (event) => event.eventType === 'critical_value_detected',
    );
    expect(alerts).toEqual([]);
  });
});
