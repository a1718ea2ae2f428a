import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import { startOverdueOrderTimer } from '../../../gateway/labOrders/overdueOrderTimer.ts';
import { startEscalationTimer } from '../../../gateway/escalationTimer.ts';
import { type StaffOf, signInStaff } from '../../harness/actorHeaders.ts';
import {
  buildInjectedGateway,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

// A stat order left unanswered raises an alert through the same episodes and
// escalation as every alert, and the alert resolves when the result comes:
// real SQLite file, the gateway's HTTP app, the timers' checks called by hand.

let gateway: InjectedGateway;
let staff: StaffOf;
let overdue: ReturnType<typeof startOverdueOrderTimer>;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  staff = await signInStaff(gateway);
  await registerPatient(gateway, 'p-fatima');
  const { services } = gateway;
  overdue = startOverdueOrderTimer({
    orders: services.labOrderViews,
    projections: services.projections,
    recorder: services.recorder,
    facility: services.facility,
    intervalMs: 3_600_000,
    clock: gateway.clock,
    newId: services.newId,
    logger: pino({ level: 'silent' }),
  });
});
afterEach(async () => {
  overdue.stop();
  await gateway.close();
});

const alertsOf = () => gateway.services.alerts.ofPatient('p-fatima');

async function orderStat(tests: string[]) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/api/v1/patients/p-fatima/lab-orders',
    headers: staff.physician.headers,
    payload: { tests, priority: 'stat' },
  });
  expect(response.statusCode).toBe(201);
  return response.json().orders[0] as { orderId: string; specimenId: string };
}

describe('a stat lab order left unanswered', () => {
  it('raises one alert after its hour, which escalates like any other and resolves when the final result comes', async () => {
    const order = await orderStat(['K']);
    gateway.clock.advanceSeconds(59 * 60);
    expect(await overdue.check()).toBe(0);
    gateway.clock.advanceSeconds(2 * 60);
    expect(await overdue.check()).toBe(1);
    expect(await overdue.check()).toBe(0);
    expect(alertsOf()).toEqual([
      expect.objectContaining({
        status: 'active',
        parameter: `lab_order_overdue:${order.orderId}`,
        severity: 'critical',
        priority: 'high',
      }),
    ]);

    const escalation = startEscalationTimer({
      policy: gateway.services.options.escalation,
      intervalMs: 3_600_000,
      alerts: gateway.services.alerts,
      recorder: gateway.services.recorder,
      facility: gateway.services.facility,
      clock: gateway.clock,
      newId: gateway.services.newId,
      logger: pino({ level: 'silent' }),
    });
    gateway.clock.advanceSeconds(3600);
    expect(await escalation.check()).toBeGreaterThan(0);
    escalation.stop();

    const at = gateway.clock().toISOString();
    await gateway.services.recorder.record({
      draft: draftFor(
        gateway.services,
        'lab_result_available',
        {
          resultId: 'r-k',
          specimen: { specimenId: order.specimenId, type: 'serum' },
          testCode: 'K',
          testName: 'Potassium',
          value: 4.2,
          unit: 'mmol/L',
          resultStatus: 'final',
          observedAt: at,
          reportedAt: at,
        },
        { patientId: 'p-fatima', at },
      ),
      channel: 'http',
      origin: 'test analyzer',
    });
    expect(await overdue.check()).toBe(1);
    expect(alertsOf()).toEqual([expect.objectContaining({ status: 'resolved' })]);
    const resolved = [...gateway.services.log.iterate()].at(-1);
    expect(resolved).toMatchObject({
      eventType: 'alert_resolved',
      data: { note: expect.stringMatching(/final/) },
    });
  });

  it('resolves its alert when the order is cancelled', async () => {
    const order = await orderStat(['CBC']);
    gateway.clock.advanceSeconds(61 * 60);
    await overdue.check();
    expect(alertsOf()).toHaveLength(1);
    const headers = await gateway.signIn('physician');
    const cancelled = await gateway.app.inject({
      method: 'POST',
      url: `/api/v1/patients/p-fatima/lab-orders/${order.orderId}/cancellation`,
      headers,
      payload: { reason: 'Patient transferred to the teaching hospital' },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(await overdue.check()).toBe(1);
    expect(alertsOf()).toEqual([expect.objectContaining({ status: 'resolved' })]);
  });
});
