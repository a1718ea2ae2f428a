/**
 * The guarantees the crash campaign checks after each SIGKILL
 * (docs/reliability.md#crash-campaign), as pure functions over what the
 * clients were told and what the log holds. Each returns the problems it
 * found, one readable line each; an empty list means the guarantee held.
 */

/** The kinds of acknowledgement a client of the gateway receives, each with the identity it checks by. */
export type FactKind = 'mqtt' | 'http' | 'admission' | 'astm' | 'hl7';

/** What the clients were told was received: per kind, the identities acknowledged (device key, eventId, sagaId...). */
export type AcknowledgedFacts = Record<FactKind, ReadonlySet<string>>;

/** What the log holds: per kind, how many times each identity is stored. */
export type LoggedFacts = Record<FactKind, ReadonlyMap<string, number>>;

export const factKinds: readonly FactKind[] = ['mqtt', 'http', 'admission', 'astm', 'hl7'];

/**
 * docs/architecture.md#guarantee-1: every acknowledged fact (PUBACK, HTTP 2xx,
 * ASTM ACK, MSA|AA) is in the log exactly once, and nothing is stored twice.
 */
export function acknowledgedNotStoredOnce(acknowledged: AcknowledgedFacts, logged: LoggedFacts): string[] {
  const problems: string[] = [];
  for (const kind of factKinds) {
    const counts = logged[kind];
    for (const id of acknowledged[kind]) {
      const count = counts.get(id) ?? 0;
      if (count !== 1) problems.push(`${kind} ${id} acknowledged but stored ${count} times`);
    }
    for (const [id, count] of counts)
      if (count > 1 && !acknowledged[kind].has(id)) problems.push(`${kind} ${id} stored ${count} times`);
  }
  return problems;
}

/** A read model as documents by projection and id (canonical JSON text of each document). */
export type ReadModels = ReadonlyMap<string, string>;

/** The read models the gateway kept equal those a fresh replay of the same log builds (docs/architecture.md#guarantee-2). */
export function readModelDifferences(kept: ReadModels, replayed: ReadModels, limit = 5): string[] {
  const problems: string[] = [];
  for (const [key, doc] of kept) {
    if (!replayed.has(key)) problems.push(`${key} kept but not rebuilt by a replay`);
    else if (replayed.get(key) !== doc)
      problems.push(`${key} differs from its replay in ${differingFields(doc, replayed.get(key)!)}`);
  }
  for (const key of replayed.keys())
    if (!kept.has(key)) problems.push(`${key} rebuilt by a replay but missing`);
  return problems.length > limit
    ? [...problems.slice(0, limit), `... ${problems.length - limit} more`]
    : problems;
}

/** The top-level fields of two JSON documents that differ, with both values, for a readable report. */
function differingFields(kept: string, replayed: string): string {
  const a = JSON.parse(kept) as Record<string, unknown>;
  const b = JSON.parse(replayed) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]))
    .map((field) => `${field} (kept ${JSON.stringify(a[field])}, replayed ${JSON.stringify(b[field])})`)
    .join(', ')
    .slice(0, 400);
}

/** Admission sagas as the log tells them: started, and which of them reached an end (docs/admission-saga.md). */
export interface SagaLedger {
  started: ReadonlySet<string>;
  completed: ReadonlySet<string>;
  failed: ReadonlySet<string>;
}

/** Sagas neither completed nor compensated (failed): after a settled restart, none may be left. */
export function sagasLeftHalfway(sagas: SagaLedger): string[] {
  return [...sagas.started]
    .filter((sagaId) => !sagas.completed.has(sagaId) && !sagas.failed.has(sagaId))
    .map((sagaId) => `admission saga ${sagaId} neither completed nor compensated`);
}

/** What Kafka holds at the end, by eventId: how many records carry each. */
export interface KafkaHoldings {
  copies: ReadonlyMap<string, number>;
  /** Records out of seq order on one partition and key (docs/architecture.md#guarantee-4). */
  outOfOrder: readonly string[];
}

/**
 * docs/architecture.md#guarantee-4 after the last drain: every event of the
 * log is on Kafka, nothing else is, order holds, and the copies beyond the
 * first are no more than the batches a kill can leave unconfirmed
 * (at-least-once: a batch Kafka stored but the gateway never heard confirmed
 * is sent again by the next process, a new producer id).
 */
export function kafkaDeliveryProblems(
  logEventIds: ReadonlySet<string>,
  kafka: KafkaHoldings,
  allowedDuplicates: number,
): string[] {
  const problems: string[] = [];
  let missing = 0;
  for (const eventId of logEventIds) if (!kafka.copies.has(eventId)) missing += 1;
  if (missing > 0) problems.push(`${missing} events of the log are not on Kafka`);
  const foreign = [...kafka.copies.keys()].filter((eventId) => !logEventIds.has(eventId));
  if (foreign.length > 0)
    problems.push(`${foreign.length} events on Kafka are not in the log (${foreign[0]})`);
  const duplicates = [...kafka.copies.values()].reduce((sum, count) => sum + count - 1, 0);
  if (duplicates > allowedDuplicates)
    problems.push(
      `${duplicates} duplicate records on Kafka, more than the ${allowedDuplicates} the kills allow`,
    );
  problems.push(...kafka.outOfOrder.slice(0, 5).map((line) => `out of order on Kafka: ${line}`));
  return problems;
}
