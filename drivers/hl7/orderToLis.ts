import type { Logger } from 'pino';
import { GatewayError, type LabOrderBook, type PlacedLabOrder } from '../../gateway/pluginApi.ts';
import type { DriverMetrics } from '../driverMetrics.ts';
import type { Hl7OrderOutbox } from './hl7OrderOutbox.ts';
import { sendOverMllp } from './mllpSender.ts';
import { nextStep, type RetryPolicy } from './orderDelivery.ts';
import { buildOrderMessage, type OrderMessageType, type PatientForLis } from './orderMessage.ts';

/** drivers.json `orderTo` of an HL7 listener, defaults applied (docs/devices.md#orders-to-a-laboratory-system-hl7). */
export interface OrderToSettings extends RetryPolicy {
  host: string;
  port: number;
  message: OrderMessageType;
  /** MSH-5, the laboratory system's application name. */
  receivingApplication: string;
  sendPatientName: boolean;
  /** How long to wait for the ACK, in milliseconds. */
  ackTimeoutMs: number;
}

export interface OrderToDeps {
  /** The listener's name (its deviceId): the catalogue's `performer` of the tests it takes. */
  listener: string;
  settings: OrderToSettings;
  outbox: Hl7OrderOutbox;
  labOrders: LabOrderBook;
  patientOf(patientId: string): PatientForLis | undefined;
  facilityName: string;
  clock: () => Date;
  metrics: Pick<DriverMetrics, 'hl7OrdersSent'>;
  logger: Logger;
}

/** How often the outbox is looked at when nothing woke it, in milliseconds. */
const idlePollMs = 1_000;

/**
 * Sends the orders placed for one laboratory system, one message at a time,
 * oldest first. Each order is queued when the labOrders book reports it
 * (after its event is committed); on start, every order of the book for this
 * performer is queued again (idempotent), so an order whose event committed
 * just before a crash, with no outbox row yet, is sent all the same. Returns
 * how to stop; the outcome of a try in flight is not recorded (the order is
 * sent again on the next start, under the same control id).
 */
export function startOrderSending(deps: OrderToDeps): () => void {
  const { listener, outbox, logger } = deps;
  const queue = (order: PlacedLabOrder) => {
    if (order.performer === listener) outbox.enqueue(listener, order, deps.clock());
  };
  for (const order of deps.labOrders.ordersForPerformer(listener)) queue(order);
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  const schedule = (ms: number) => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => void pump(), ms);
  };
  const pump = async () => {
    if (busy || !running) return;
    busy = true;
    try {
      let due = outbox.nextDue(listener, deps.clock());
      while (due && running) {
        await sendOne(deps, due, () => running);
        due = outbox.nextDue(listener, deps.clock());
      }
    } catch (error) {
      logger.error({ err: error, listener }, 'HL7 order outbox could not be read or written');
    } finally {
      busy = false;
      schedule(idlePollMs);
    }
  };
  const unsubscribe = deps.labOrders.onOrderChanged((order) => {
    queue(order);
    if (order.performer === listener) schedule(0);
  });
  schedule(0);
  return () => {
    running = false;
    clearTimeout(timer);
    unsubscribe();
  };
}

async function sendOne(
  deps: OrderToDeps,
  due: NonNullable<ReturnType<Hl7OrderOutbox['nextDue']>>,
  stillRunning: () => boolean,
): Promise<void> {
  const { settings, listener } = deps;
  const message = buildOrderMessage({
    order: due.order,
    control: due.control,
    messageType: settings.message,
    controlId: due.controlId,
    patient: deps.patientOf(due.order.patientId),
    sendPatientName: settings.sendPatientName,
    sendingApplication: 'NILECARE',
    sendingFacility: deps.facilityName,
    receivingApplication: settings.receivingApplication,
    now: deps.clock(),
  });
  const outcome = await sendOverMllp(settings, message, due.controlId, settings.ackTimeoutMs);
  // Stopped meanwhile (the database may be closing): the row stays due and is sent again on
  // the next start, with the same control id, which the laboratory system deduplicates.
  if (!stillRunning()) return;
  const now = deps.clock();
  const step = nextStep(outcome, due, settings, now);
  deps.outbox.record(due.id, step, outcome.kind === 'refused', now);
  const log = { listener, orderId: due.order.orderId, control: due.control, controlId: due.controlId };
  if (step.kind === 'delivered') {
    deps.metrics.hl7OrdersSent.inc({ outcome: 'delivered' });
    deps.logger.info(log, 'lab order accepted by the laboratory system');
  } else if (step.kind === 'failed') {
    deps.metrics.hl7OrdersSent.inc({ outcome: 'failed' });
    const error = new GatewayError('GW_ERR_HL7_ORDER_REFUSED', [
      due.order.orderId,
      listener,
      due.refusals + 1,
      step.reason,
    ]);
    deps.logger.error({ ...log, code: error.code }, error.message);
  } else {
    deps.metrics.hl7OrdersSent.inc({ outcome: outcome.kind });
    deps.logger.warn(
      { ...log, reason: step.reason, retryAt: step.at.toISOString() },
      'lab order not yet accepted',
    );
  }
}
