/**
 * The life of a lab order (docs/lab-orders.md#lifecycle): ordered → collected
 * → in progress (a preliminary result) → partial (some tests final) →
 * resulted (every test final), or cancelled. Pure: the status follows from
 * what the order holds.
 */
export type LabOrderStatus = 'ordered' | 'collected' | 'in_progress' | 'partial' | 'resulted' | 'cancelled';

export interface LinkedResult {
  resultId: string;
  testCode: string;
  resultStatus: 'preliminary' | 'final' | 'corrected';
}

export interface OrderFacts {
  tests: readonly { testCode: string }[];
  collectedAt?: string;
  cancelledAt?: string;
  results: readonly LinkedResult[];
}

const isFinal = (result: LinkedResult) => result.resultStatus !== 'preliminary';

/**
 * The results that answer one ordered test: those reported under its code. A
 * panel (a CBC) is reported as its parts (WBC, HGB ...), none under the
 * panel's code: when the order has that one test, every result answers it.
 */
function resultsFor(test: { testCode: string }, facts: OrderFacts): readonly LinkedResult[] {
  const own = facts.results.filter((result) => result.testCode === test.testCode);
  if (own.length > 0 || facts.tests.length > 1) return own;
  return facts.results;
}

export function orderStatus(facts: OrderFacts): LabOrderStatus {
  if (facts.cancelledAt) return 'cancelled';
  if (facts.results.length === 0) return facts.collectedAt ? 'collected' : 'ordered';
  const finalTests = facts.tests.filter((test) => {
    const answers = resultsFor(test, facts);
    return answers.length > 0 && answers.every(isFinal);
  }).length;
  if (finalTests === facts.tests.length) return 'resulted';
  return finalTests > 0 ? 'partial' : 'in_progress';
}

/** Open: the laboratory still owes a result (the worklist's orders, the ones that can become overdue). */
export function isOpen(status: LabOrderStatus): boolean {
  return status !== 'resulted' && status !== 'cancelled';
}

const statusRank = { preliminary: 0, final: 1, corrected: 2 } as const;

/** The order's results with this one in: a later status of a result id replaces the earlier, a late earlier one does not. */
export function withResult(results: readonly LinkedResult[], result: LinkedResult): LinkedResult[] {
  const earlier = results.find((entry) => entry.resultId === result.resultId);
  if (!earlier) return [...results, result];
  if (statusRank[result.resultStatus] < statusRank[earlier.resultStatus]) return [...results];
  return results.map((entry) => (entry.resultId === result.resultId ? result : entry));
}
