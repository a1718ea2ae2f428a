/**
 * Thrown out of a batch's transaction when one record's handler failed: the
 * records before it did nothing wrong and can commit without it.
 */
export class RecordFailed extends Error {
  readonly index: number;
  override readonly cause: unknown;
  constructor(index: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'RecordFailed';
    this.index = index;
    this.cause = cause;
  }
}

export interface BatchSteps<R> {
  /** One transaction for all of `records`, in order; throws (RecordFailed when one record's handler did). */
  whole(records: readonly R[]): Promise<void>;
  /**
   * One record alone, with its tries, backoff and dead letter; false when
   * stopped before it was done. `failure`: what its handler threw in the
   * batch, which counts as its first try.
   */
  alone(record: R, failure?: unknown): Promise<boolean>;
  stopping(): boolean;
}

/**
 * Per-record failure isolation for batch transactions (docs/hub.md, "Batches"):
 * the records of a batch are tried in one transaction; when it fails, the
 * records before a failing handler are tried again without it, the failing
 * record alone (its retries and dead letter as one record at a time, the
 * batch's try counting as its first),
 * then the records after it. A failure no record can be blamed for (the
 * commit, the connection) splits the batch in halves. Records stay in order.
 * Resolves how many records, from the first, are done.
 */
export async function settleInOrder<R>(records: readonly R[], steps: BatchSteps<R>): Promise<number> {
  const first = records[0];
  if (first === undefined) return 0;
  if (records.length === 1) return (await steps.alone(first)) ? 1 : 0;
  let blamed: RecordFailed | undefined;
  try {
    await steps.whole(records);
    return records.length;
  } catch (error) {
    if (error instanceof RecordFailed && error.index >= 0 && error.index < records.length) blamed = error;
  }
  if (steps.stopping()) return 0;
  if (!blamed) {
    const half = Math.ceil(records.length / 2);
    const done = await settleInOrder(records.slice(0, half), steps);
    return done < half ? done : done + (await settleInOrder(records.slice(half), steps));
  }
  const { index, cause } = blamed;
  const before = await settleInOrder(records.slice(0, index), steps);
  if (before < index) return before;
  if (!(await steps.alone(records[index]!, cause))) return before;
  return before + 1 + (await settleInOrder(records.slice(index + 1), steps));
}
