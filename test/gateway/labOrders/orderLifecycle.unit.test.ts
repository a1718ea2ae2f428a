import { describe, it } from 'vitest';
import type { LabOrderStatus } from '../../../gateway/labOrders/orderLifecycle.ts';
import { labOrdersProjection } from '../../../gateway/projections/labOrders.ts';
import { projectionSpec } from '../../harness/givenWhenThen.ts';
import { eventBuilder } from '../../harness/handBuiltEvents.ts';

const build = eventBuilder({ start: '2026-12-07T08:00:00.000Z', stepSeconds: 60 });
const physician = { patientId: 'p-1', userId: 'u-doc', userName: 'Dr Salma', userRole: 'physician' };
const nurse = { ...physician, userId: 'u-nurse', userName: 'Amna', userRole: 'nurse' };
const at = '2026-12-07T08:00:00.000Z';

const ordered = (tests: string[], orderId = 'o-1', specimenId = 'SPEC1') =>
  build.event(
    'lab_order_created',
    {
      orderId,
      tests: tests.map((testCode) => ({ testCode, testName: testCode })),
      priority: 'stat',
      specimen: { specimenId, type: 'serum' },
      orderedAt: at,
    },
    physician,
  );
const collected = (orderId = 'o-1', specimenId = 'SPEC1') =>
  build.event('lab_specimen_collected', { orderId, specimenId, collectedAt: at }, nurse);
const cancelled = (orderId = 'o-1', specimenId = 'SPEC1') =>
  build.event(
    'lab_order_cancelled',
    { orderId, specimenId, reason: 'Ordered twice', cancelledAt: at },
    physician,
  );
const result = (
  testCode: string,
  resultStatus: string,
  extra: Record<string, unknown> = {},
  patientId = 'p-1',
) =>
  build.event(
    'lab_result_available',
    {
      resultId: `r-${testCode}`,
      specimen: { specimenId: 'SPEC1', type: 'serum' },
      testCode,
      testName: testCode,
      value: 4.1,
      resultStatus,
      observedAt: at,
      reportedAt: at,
      ...extra,
    },
    { patientId, source: 'lab-service' },
  );

const spec = projectionSpec(labOrdersProjection);
const doc = 'specimen:SPEC1';
const statusAfter = (...events: ReturnType<typeof ordered>[]) => ({
  is: (status: LabOrderStatus) => spec.given(events).thenDocMatches(doc, { orders: [{ status }] }),
});

describe('the life of a lab order', () => {
  it('is ordered when placed, under the name of who ordered it', () => {
    spec.given(ordered(['K'])).thenDocMatches(doc, {
      orders: [{ orderId: 'o-1', status: 'ordered', orderedBy: { userId: 'u-doc' }, results: [] }],
    });
  });

  it('is collected once the specimen is drawn', () => {
    statusAfter(ordered(['K']), collected()).is('collected');
  });

  it('is in progress with a preliminary result found by its specimen id', () => {
    statusAfter(ordered(['K']), collected(), result('K', 'preliminary')).is('in_progress');
  });

  it('is partial when some of its tests are final, resulted when all are', () => {
    statusAfter(ordered(['K', 'NA']), result('K', 'final')).is('partial');
    statusAfter(ordered(['K', 'NA']), result('K', 'final'), result('NA', 'final')).is('resulted');
  });

  it('takes every part of a panel (WBC, HGB of a CBC) as answering its one test', () => {
    statusAfter(ordered(['CBC']), result('WBC', 'final'), result('HGB', 'preliminary')).is('in_progress');
    statusAfter(ordered(['CBC']), result('WBC', 'final'), result('HGB', 'final')).is('resulted');
  });

  it('does not go back to in progress when a late preliminary follows the final', () => {
    statusAfter(ordered(['K']), result('K', 'final'), result('K', 'preliminary')).is('resulted');
  });

  it('links a result that names the order even before it is collected', () => {
    statusAfter(ordered(['K']), result('K', 'final', { orderId: 'o-1' })).is('resulted');
  });

  it('ignores a result on the same specimen id for another patient, or naming another order', () => {
    statusAfter(ordered(['K']), result('K', 'final', {}, 'p-2')).is('ordered');
    statusAfter(ordered(['K']), result('K', 'final', { orderId: 'o-9' })).is('ordered');
  });

  it('is cancelled for good: a result that comes later does not revive it', () => {
    spec.given(ordered(['K']), cancelled(), result('K', 'final')).thenDocMatches(doc, {
      orders: [{ status: 'cancelled', cancelReason: 'Ordered twice', results: [] }],
    });
  });

  it('is kept once when its event is replayed twice', () => {
    const placed = ordered(['K']);
    spec.given(placed, placed).thenDocMatches(doc, { orders: [{ orderId: 'o-1' }] });
  });
});
