/**
 * The gateway's lab orders as the analyzer drivers see them (docs/devices.md):
 * which tests were ordered on a specimen, for an ASTM host query (E1394 Q
 * record) or an order download, and for an HL7 order sent to a laboratory
 * system. Built from lab_order_created events (and their cancellation) by the
 * labOrders read model; drivers only read it.
 */
export interface OrderedTest {
  /** The orderable-test catalogue's code, as the analyzer knows the test. */
  testCode: string;
  testName: string;
  /** LOINC code, when the catalogue knows it. */
  loinc?: string;
}

export interface PlacedLabOrder {
  orderId: string;
  /** The tube's barcode: what the analyzer asks by and reports by. */
  specimenId: string;
  specimenType: string;
  patientId: string;
  encounterId?: string;
  tests: OrderedTest[];
  priority: 'routine' | 'urgent' | 'stat';
  orderedAt: string;
  /** The analyzer (device id) or laboratory system (HL7 listener name) that performs it, from the catalogue. */
  performer?: string;
  status: 'ordered' | 'collected' | 'in_progress' | 'partial' | 'resulted' | 'cancelled';
}

export interface LabOrderBook {
  /** Orders not cancelled on this specimen (an ASTM host query asks by specimen id). */
  ordersForSpecimen(specimenId: string): PlacedLabOrder[];
  /** The order with this placer order number (HL7 ORC-2 / OBR-2), if any. */
  orderById(orderId: string): PlacedLabOrder | undefined;
  /**
   * Every order (cancelled ones too) whose performer is this analyzer or laboratory
   * system: what an order outbox checks on start against what it has queued.
   */
  ordersForPerformer(performer: string): PlacedLabOrder[];
  /** Called after an order is placed or cancelled and stored; returns an unsubscribe function. */
  onOrderChanged(listener: (order: PlacedLabOrder) => void): () => void;
}

/** The book before the labOrders read model is wired in: no orders. */
export function emptyLabOrderBook(): LabOrderBook {
  return {
    ordersForSpecimen: () => [],
    orderById: () => undefined,
    ordersForPerformer: () => [],
    onOrderChanged: () => () => {},
  };
}
