import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { labOrderDocKey } from './labOrders.ts';
import { dataOf, type Projection } from './projection.ts';

/**
 * Where lab orders are kept in the labOrders read model (by specimen, as
 * analyzers report): the document of each order id, and the documents of
 * each patient's orders.
 */
type Created = { orderId: string; specimen?: { specimenId: string } };

const placed = (event: ClinicalEvent) =>
  event.eventType === 'lab_order_created' && event.patientId !== undefined;
const docKeyOf = (event: ClinicalEvent) => {
  const { orderId, specimen } = dataOf<Created>(event);
  return labOrderDocKey(specimen?.specimenId, orderId);
};

/** Order id → the key of its labOrders document. */
export const labOrderKeysProjection: Projection<{ docKey: string }> = {
  name: 'labOrderKeys',
  version: 1,
  docIdsOf: (event) => (placed(event) ? [dataOf<Created>(event).orderId] : []),
  evolve: (doc, event) => doc ?? { docKey: docKeyOf(event) },
};

/** Patient id → the keys of the labOrders documents of the patient's orders, oldest first. */
export const patientLabOrdersProjection: Projection<{ docKeys: string[] }> = {
  name: 'patientLabOrders',
  version: 1,
  docIdsOf: (event) => (placed(event) ? [event.patientId!] : []),
  evolve(doc, event) {
    const docKey = docKeyOf(event);
    const docKeys = doc?.docKeys ?? [];
    return docKeys.includes(docKey) ? doc : { docKeys: [...docKeys, docKey] };
  },
};
