import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import { isSpecimenId } from '../../../gateway/labOrders/specimenId.ts';
import { projectInMemory } from '../../../gateway/projections/projectionStore.ts';
import { type LabOrdersDoc, labOrdersProjection } from '../../../gateway/projections/labOrders.ts';
import { type StaffOf, type StaffRole, signInStaff } from '../../harness/actorHeaders.ts';
import {
  buildInjectedGateway,
  type InjectedGateway,
  registerPatient,
} from '../../harness/injectedGateway.ts';

// Ordering lab tests on the chart, the pending-orders worklist, collection and
// cancellation: real SQLite file, the gateway's HTTP app driven by inject().

let gateway: InjectedGateway;
let staff: StaffOf;
beforeEach(async () => {
  gateway = await buildInjectedGateway();
  staff = await signInStaff(gateway);
  await registerPatient(gateway, 'p-fatima');
});
afterEach(async () => {
  await gateway.close();
});

const post = (role: StaffRole, url: string, payload: Record<string, unknown> = {}) =>
  gateway.app.inject({ method: 'POST', url, headers: staff[role].headers, payload });
const get = (url: string, role: StaffRole = 'nurse') =>
  gateway.app.inject({ method: 'GET', url, headers: staff[role].headers });
const events = () => [...gateway.services.log.iterate()];

async function orderStatPotassiumAndCbc() {
  const response = await post('physician', '/api/v1/patients/p-fatima/lab-orders', {
    tests: ['K', 'CBC'],
    priority: 'stat',
    clinicalNotes: 'Vomiting for two days; on furosemide',
  });
  expect(response.statusCode).toBe(201);
  return response.json() as {
    orders: { orderId: string; specimenId: string; container: string; tests: string[] }[];
  };
}

/** A result for a specimen, as an analyzer driver would record it (no order id: matched by specimen). */
async function resultFor(specimenId: string, testCode: string, resultStatus: string, resultId = testCode) {
  const at = gateway.clock().toISOString();
  const outcome = await gateway.services.recorder.record({
    draft: draftFor(
      gateway.services,
      'lab_result_available',
      {
        resultId: `${specimenId}-${resultId}`,
        specimen: { specimenId, type: 'serum' },
        testCode,
        testName: testCode,
        value: 3.1,
        resultStatus,
        observedAt: at,
        reportedAt: at,
      },
      { patientId: 'p-fatima', at },
    ),
    channel: 'http',
    origin: 'test analyzer',
  });
  expect(outcome.status).toBe('appended');
}

describe('ordering lab tests', () => {
  it('lists the catalogue with LOINC codes and names in Arabic and English', async () => {
    const response = await get('/api/v1/lab-tests');
    expect(response.statusCode).toBe(200);
    expect(response.json().tests).toContainEqual(
      expect.objectContaining({ code: 'K', loinc: '2823-3', name: { en: 'Potassium', ar: 'البوتاسيوم' } }),
    );
    expect(response.json().dueMinutes).toEqual({ stat: 60, urgent: 240 });
  });

  it('places one order per tube: a stat potassium (serum tube) and a CBC (EDTA tube) get their own specimen ids and events', async () => {
    const { orders } = await orderStatPotassiumAndCbc();
    expect(orders.map((order) => [order.container, order.tests])).toEqual([
      ['SST', ['K']],
      ['EDTA', ['CBC']],
    ]);
    for (const order of orders) expect(isSpecimenId(order.specimenId)).toBe(true);
    expect(orders[0]?.specimenId).not.toBe(orders[1]?.specimenId);
    const created = events().filter((event) => event.eventType === 'lab_order_created');
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({
      patientId: 'p-fatima',
      ...staff.physician.actor,
      data: {
        orderId: orders[0]?.orderId,
        tests: [{ testCode: 'K', testName: 'Potassium' }],
        priority: 'stat',
        specimen: { specimenId: orders[0]?.specimenId, type: 'serum' },
        clinicalNotes: 'Vomiting for two days; on furosemide',
      },
    });

    const chart = (await get('/api/v1/patients/p-fatima/lab-orders')).json();
    expect(chart.orders.map((order: { status: string }) => order.status)).toEqual(['ordered', 'ordered']);
    const book = gateway.services.labOrders;
    expect(book.ordersForSpecimen(orders[0]!.specimenId)).toEqual([
      expect.objectContaining({
        orderId: orders[0]?.orderId,
        tests: [{ testCode: 'K', testName: 'Potassium', loinc: '2823-3' }],
        performer: 'chem-analyzer',
        priority: 'stat',
      }),
    ]);
    expect(book.orderById(orders[1]!.orderId)).toMatchObject({
      specimenType: 'whole_blood',
      status: 'ordered',
    });
  });

  it('tells the analyzer drivers of an order once it is stored', async () => {
    const heard: string[] = [];
    gateway.services.labOrders.onOrderChanged((order) => heard.push(`${order.orderId}:${order.status}`));
    const { orders } = await orderStatPotassiumAndCbc();
    expect(heard).toEqual(orders.map((order) => `${order.orderId}:ordered`));
  });

  it('refuses a test not in the catalogue, and a nurse ordering, recording nothing', async () => {
    const before = gateway.services.log.head.seq;
    const unknown = await post('physician', '/api/v1/patients/p-fatima/lab-orders', {
      tests: ['K', 'XYZ'],
      priority: 'routine',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('GW_ERR_LAB_TEST_UNKNOWN');
    const byNurse = await post('nurse', '/api/v1/patients/p-fatima/lab-orders', {
      tests: ['K'],
      priority: 'stat',
    });
    expect(byNurse.statusCode).toBe(403);
    expect(gateway.services.log.head.seq).toBe(before);
  });
});

describe('the life of an order', () => {
  it('goes ordered → collected → in progress → resulted as the nurse collects and the results come back by specimen', async () => {
    const { orders } = await orderStatPotassiumAndCbc();
    const potassium = orders[0]!;
    const url = `/api/v1/patients/p-fatima/lab-orders/${potassium.orderId}`;
    const statusOf = async () =>
      (await get('/api/v1/patients/p-fatima/lab-orders'))
        .json()
        .orders.find((order: { orderId: string }) => order.orderId === potassium.orderId);

    expect((await post('nurse', `${url}/collected`, {})).statusCode).toBe(200);
    expect(await statusOf()).toMatchObject({
      status: 'collected',
      specimen: { collectedAt: expect.any(String) },
    });
    const again = await post('nurse', `${url}/collected`, {});
    expect([again.statusCode, again.json().code]).toEqual([409, 'GW_ERR_LAB_ORDER_STATE']);

    await resultFor(potassium.specimenId, 'K', 'preliminary');
    expect((await statusOf()).status).toBe('in_progress');
    await resultFor(potassium.specimenId, 'K', 'final');
    expect(await statusOf()).toMatchObject({
      status: 'resulted',
      results: [{ resultId: `${potassium.specimenId}-K`, testCode: 'K', resultStatus: 'final' }],
    });
    const cancelResulted = await post('physician', `${url}/cancellation`, { reason: 'Not needed' });
    expect(cancelResulted.statusCode).toBe(409);
  });

  it('cancels an order: it leaves the worklist and the analyzer book, and cannot be collected', async () => {
    const { orders } = await orderStatPotassiumAndCbc();
    const cbc = orders[1]!;
    const url = `/api/v1/patients/p-fatima/lab-orders/${cbc.orderId}`;
    const cancelled = await post('physician', `${url}/cancellation`, { reason: 'Ordered twice' });
    expect(cancelled.statusCode).toBe(200);
    expect(events().at(-1)).toMatchObject({
      eventType: 'lab_order_cancelled',
      data: { orderId: cbc.orderId, specimenId: cbc.specimenId, reason: 'Ordered twice' },
    });
    const pending = (await get('/api/v1/lab-orders/pending')).json();
    expect(pending.orders.map((entry: { order: { orderId: string } }) => entry.order.orderId)).toEqual([
      orders[0]?.orderId,
    ]);
    expect(gateway.services.labOrders.ordersForSpecimen(cbc.specimenId)).toEqual([]);
    expect((await post('nurse', `${url}/collected`, {})).statusCode).toBe(409);
    expect((await post('physician', `${url}/cancellation`, { reason: 'again' })).statusCode).toBe(409);
  });

  it('gives each performer its orders, cancelled ones too, for its order outbox to check on start', async () => {
    const { orders } = await orderStatPotassiumAndCbc();
    const cbc = orders[1]!;
    await post('physician', `/api/v1/patients/p-fatima/lab-orders/${cbc.orderId}/cancellation`, {
      reason: 'Ordered twice',
    });
    const book = gateway.services.labOrders;
    expect(book.ordersForPerformer('chem-analyzer')).toEqual([
      expect.objectContaining({ orderId: orders[0]?.orderId, status: 'ordered', performer: 'chem-analyzer' }),
    ]);
    expect(book.ordersForPerformer('hematology-analyzer')).toEqual([
      expect.objectContaining({ orderId: cbc.orderId, status: 'cancelled' }),
    ]);
    expect(book.ordersForPerformer('lis-main')).toEqual([]);
  });

  it('keeps the same orders and statuses when the read model is rebuilt from the log', async () => {
    const { orders } = await orderStatPotassiumAndCbc();
    await post('nurse', `/api/v1/patients/p-fatima/lab-orders/${orders[0]!.orderId}/collected`, {});
    await resultFor(orders[0]!.specimenId, 'K', 'final');
    const replayed = projectInMemory([labOrdersProjection], events());
    // The store lists documents by key, the in-memory fold in the order first written: compare by order id.
    const byOrder = (docs: unknown[]) =>
      (docs as LabOrdersDoc[])
        .flatMap((doc) => doc.orders)
        .sort((a, b) => a.orderId.localeCompare(b.orderId));
    expect(byOrder([...replayed.get('labOrders')!.values()])).toEqual(
      byOrder(gateway.services.projections.all('labOrders')),
    );
    expect(
      byOrder(gateway.services.projections.all('labOrders'))
        .map((order) => order.status)
        .sort(),
    ).toEqual(['ordered', 'resulted']);
  });
});

describe('the pending-orders worklist', () => {
  it('puts stat before routine, names the patient, and marks a stat order overdue an hour after it was placed', async () => {
    await post('physician', '/api/v1/patients/p-fatima/lab-orders', { tests: ['GLU'], priority: 'routine' });
    gateway.clock.advanceSeconds(60);
    const { orders } = await orderStatPotassiumAndCbc();
    const first = (await get('/api/v1/lab-orders/pending', 'physician')).json().orders;
    expect(first.map((entry: { order: { priority: string } }) => entry.order.priority)).toEqual([
      'stat',
      'stat',
      'routine',
    ]);
    expect(first[0]).toMatchObject({
      order: { orderId: orders[0]?.orderId },
      patient: { patientId: 'p-fatima', name: expect.any(String) },
      overdue: false,
    });
    expect(first[2].dueAt).toBeUndefined();
    gateway.clock.advanceSeconds(3600);
    // An hour without a request ends a session (docs/security-access.md): sign in again.
    const headers = await gateway.signIn('nurse');
    const later = (
      await gateway.app.inject({ method: 'GET', url: '/api/v1/lab-orders/pending', headers })
    ).json().orders;
    expect(later.map((entry: { overdue: boolean }) => entry.overdue)).toEqual([true, true, false]);
  });
});
