import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors.ts';
import type { GatewayServices } from '../../gatewayServices.ts';
import type { LabOrderView } from '../../projections/labOrders.ts';
import type { PatientDoc } from '../../projections/patients.ts';
import { planSpecimens } from '../../labOrders/specimenPlan.ts';
import { specimenIdFrom } from '../../labOrders/specimenId.ts';
import { dueAtOf, isOverdue, worklistOrder } from '../../rules/labOrderOverdue.ts';
import { requireActor } from '../actor.ts';
import { draftFor } from '../draftFor.ts';
import { appendedSummary, recordOrFail } from '../recordOrFail.ts';
import type {
  AppendedReply,
  LabOrderList,
  LabOrdersPlaced,
  LabTestCatalogueReply,
  PendingLabOrders,
} from '../apiContract.ts';
import {
  cancelBody,
  collectedBody,
  labOrderListReply,
  labOrdersPlacedReply,
  labTestCatalogueReply,
  orderParams,
  pendingLabOrdersReply,
  placeLabOrderBody,
} from '../contract/labOrders.ts';
import { errorReplies, signedIn } from '../contract/errorReply.ts';
import { appendedReply } from '../contract/fields.ts';
import { patientIdParams } from '../contract/patients.ts';
import {
  collectSpecimens,
  orderLabTests,
  readChart,
  type RoleConfig,
} from '../../../kernel/roles/clinicalRoles.ts';

type Params = { Params: { patientId: string } };
type OrderParams = { Params: { patientId: string; orderId: string } };
type PlaceBody = {
  tests: string[];
  priority: 'routine' | 'urgent' | 'stat';
  clinicalNotes?: string;
  encounterId?: string;
};

/**
 * Lab orders (docs/lab-orders.md): the catalogue, ordering (one
 * lab_order_created per specimen), collection, cancellation, a patient's
 * orders and the pending-orders worklist.
 */
export async function labOrderRoutes(app: FastifyInstance, services: GatewayServices): Promise<void> {
  const { projections, recorder, clock, labOrderViews: book } = services;
  const patientOf = (patientId: string) => {
    const patient = projections.get<PatientDoc>('patients', patientId);
    if (!patient) throw new GatewayError('GW_ERR_PATIENT_UNKNOWN', [patientId]);
    return patient;
  };
  const orderOf = (patientId: string, orderId: string) => {
    patientOf(patientId);
    const order = book.viewOf(orderId);
    if (!order || order.patientId !== patientId)
      throw new GatewayError('GW_ERR_LAB_ORDER_UNKNOWN', [orderId, patientId]);
    return order;
  };
  const newSpecimenId = (taken: Set<string>) => {
    for (;;) {
      const id = specimenIdFrom(randomBytes(6));
      if (!taken.has(id) && !book.specimenInUse(id)) return id;
    }
  };

  app.get<{ Reply: LabTestCatalogueReply }, RoleConfig>(
    '/api/v1/lab-tests',
    {
      schema: {
        tags: ['lab'],
        summary: 'The orderable-test catalogue: codes, names in Arabic and English, specimen and container',
        response: { 200: labTestCatalogueReply, ...errorReplies(...signedIn) },
      },
      config: readChart,
    },
    async () => ({ tests: book.catalogue.tests, dueMinutes: book.catalogue.dueMinutes }),
  );

  app.get<{ Reply: PendingLabOrders }, RoleConfig>(
    '/api/v1/lab-orders/pending',
    {
      schema: {
        tags: ['lab'],
        summary: 'The pending-orders worklist: every open order, stat first, overdue marked',
        response: { 200: pendingLabOrdersReply, ...errorReplies(...signedIn) },
      },
      config: readChart,
    },
    async () => {
      const now = clock();
      const orders = [...book.open()].sort(worklistOrder).map((order) => {
        const dueAt = dueAtOf(order, book.catalogue.dueMinutes);
        return {
          order,
          patient: patientSummary(order, projections.get<PatientDoc>('patients', order.patientId)),
          ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
          overdue: isOverdue(order, book.catalogue.dueMinutes, now),
        };
      });
      return { orders };
    },
  );

  app.get<Params & { Reply: LabOrderList }, RoleConfig>(
    '/api/v1/patients/:patientId/lab-orders',
    {
      schema: {
        tags: ['lab'],
        summary: "A patient's lab orders with their status, oldest first",
        params: patientIdParams,
        response: { 200: labOrderListReply, ...errorReplies(400, ...signedIn, 404) },
      },
      config: readChart,
    },
    async (request) => {
      const { patientId } = request.params;
      patientOf(patientId);
      return { patientId, orders: book.ofPatient(patientId) };
    },
  );

  app.post<Params & { Body: PlaceBody; Reply: LabOrdersPlaced }, RoleConfig>(
    '/api/v1/patients/:patientId/lab-orders',
    {
      schema: {
        tags: ['lab'],
        summary: 'Order lab tests: one order and one specimen id per container (appends lab_order_created)',
        params: patientIdParams,
        body: placeLabOrderBody,
        response: { 201: labOrdersPlacedReply, ...errorReplies(400, ...signedIn, 404, 422) },
      },
      config: orderLabTests,
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const actor = requireActor(request);
      const patient = patientOf(patientId);
      const { tests, priority, clinicalNotes, encounterId = patient.encounterId } = request.body;
      const at = clock().toISOString();
      const taken = new Set<string>();
      const orders = planSpecimens(tests, book.catalogue).map((specimen) => {
        const specimenId = newSpecimenId(taken);
        taken.add(specimenId);
        return { orderId: services.newId(), specimenId, ...specimen };
      });
      const drafts = orders.map((order) =>
        draftFor(
          services,
          'lab_order_created',
          {
            orderId: order.orderId,
            ...(encounterId ? { encounterId } : {}),
            tests: order.tests.map((test) => ({ testCode: test.code, testName: test.name.en })),
            priority,
            specimen: { specimenId: order.specimenId, type: order.specimenType },
            ...(clinicalNotes ? { clinicalNotes } : {}),
            orderedAt: at,
          },
          { patientId, actor, at },
        ),
      );
      const [first, ...rest] = drafts;
      const events = await recordOrFail(recorder, {
        draft: first,
        andThen: rest,
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/lab-orders',
        precondition: () => void patientOf(patientId),
      });
      return reply.code(201).send({
        orders: orders.map((order) => ({
          orderId: order.orderId,
          specimenId: order.specimenId,
          specimenType: order.specimenType,
          container: order.container,
          tests: order.tests.map((test) => test.code),
        })),
        ...appendedSummary(events),
      });
    },
  );

  app.post<
    OrderParams & { Body: { collectedAt?: string; note?: string } | null; Reply: AppendedReply },
    RoleConfig
  >(
    '/api/v1/patients/:patientId/lab-orders/:orderId/collected',
    {
      schema: {
        tags: ['lab'],
        summary: 'The specimen was drawn and labelled (appends lab_specimen_collected)',
        params: orderParams,
        body: collectedBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
      config: collectSpecimens,
    },
    async (request) => {
      const { patientId, orderId } = request.params;
      const actor = requireActor(request);
      const current = () => {
        const order = orderOf(patientId, orderId);
        if (order.status === 'cancelled')
          throw new GatewayError('GW_ERR_LAB_ORDER_STATE', [orderId, 'cancelled']);
        if (!order.specimen)
          throw new GatewayError('GW_ERR_LAB_ORDER_STATE', [orderId, 'without a specimen']);
        if (order.specimen.collectedAt)
          throw new GatewayError('GW_ERR_LAB_ORDER_STATE', [orderId, 'already collected']);
        return { ...order, specimen: order.specimen };
      };
      const order = current();
      const at = clock().toISOString();
      const data = {
        orderId,
        specimenId: order.specimen.specimenId,
        collectedAt: request.body?.collectedAt ?? at,
        ...(request.body?.note ? { note: request.body.note } : {}),
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'lab_specimen_collected', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/lab-orders/:orderId/collected',
        precondition: () => void current(),
      });
      return appendedSummary(events);
    },
  );

  app.post<OrderParams & { Body: { reason: string }; Reply: AppendedReply }, RoleConfig>(
    '/api/v1/patients/:patientId/lab-orders/:orderId/cancellation',
    {
      schema: {
        tags: ['lab'],
        summary: 'Withdraw an order whose results are not all final (appends lab_order_cancelled)',
        params: orderParams,
        body: cancelBody,
        response: { 200: appendedReply, ...errorReplies(400, ...signedIn, 404, 409, 422) },
      },
      config: orderLabTests,
    },
    async (request) => {
      const { patientId, orderId } = request.params;
      const actor = requireActor(request);
      const current = () => {
        const order = orderOf(patientId, orderId);
        if (order.status === 'cancelled' || order.status === 'resulted')
          throw new GatewayError('GW_ERR_LAB_ORDER_STATE', [orderId, order.status]);
        return order;
      };
      const order = current();
      const at = clock().toISOString();
      const data = {
        orderId,
        ...(order.specimen ? { specimenId: order.specimen.specimenId } : {}),
        reason: request.body.reason,
        cancelledAt: at,
      };
      const events = await recordOrFail(recorder, {
        draft: draftFor(services, 'lab_order_cancelled', data, { patientId, actor, at }),
        channel: 'http',
        origin: 'POST /api/v1/patients/:patientId/lab-orders/:orderId/cancellation',
        precondition: () => void current(),
      });
      return appendedSummary(events);
    },
  );
}

function patientSummary(order: LabOrderView, patient: PatientDoc | undefined) {
  if (!patient) return { patientId: order.patientId, name: order.patientId };
  return {
    patientId: order.patientId,
    name: [patient.firstName, patient.fatherName, patient.lastName].filter(Boolean).join(' '),
    ...(patient.patientMRN ? { patientMRN: patient.patientMRN } : {}),
    ...(patient.ward ? { ward: patient.ward } : {}),
    ...(patient.bed ? { bed: patient.bed } : {}),
  };
}
