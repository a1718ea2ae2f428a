import type { IHeaders } from 'kafkajs';
import type { HubTx } from '../db/hubDatabase.ts';
import type { RejectionCode } from '../errors.ts';

/** A Kafka record as a hub service receives it. */
export interface SourceRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** A record a service sends to Kafka, through the outbox, after its transaction commits. */
export interface OutgoingRecord {
  topic: string;
  key: string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
}

/** Why a record is refused: a coded reason, and a sentence for people (never PHI). */
export interface RejectionReason {
  code: RejectionCode;
  message: string;
}

/** What a service may do inside one PostgreSQL transaction. */
export interface TransactionContext {
  /** The transaction: every write goes through it. */
  tx: HubTx;
  /** Hub time of this transaction (the injected clock): the receive time of a record. */
  now: Date;
  /** Sends `record` to Kafka after commit (transactional outbox). */
  send(record: OutgoingRecord): Promise<void>;
  /** Sends `original` to the dead-letter topic after commit, with the reason in headers. */
  deadLetter(reason: RejectionReason, original: SourceRecord): Promise<void>;
  /** Runs after the commit (metrics): a rolled-back try leaves no trace. */
  afterCommit(effect: () => void): void;
}

/** What a handler gets for one record. */
export interface ServiceContext extends TransactionContext {
  record: SourceRecord;
  /**
   * The records of the batch this transaction handles, the record among them,
   * for a lookup done once for all (guardedEvents.ts); absent for a record alone.
   */
  batch?: readonly SourceRecord[];
}

/** What became of a record: a label of `events_processed_total`. */
export type Outcome = string;

/**
 * One hub service: its own consumer group, topics and handler. The framework
 * (serviceRunner.ts) gives it a transaction per batch of records, commits the
 * Kafka offsets only after that transaction, retries with backoff, and dead-letters a
 * record it cannot process, so one poison record never stops the service.
 */
export interface HubService {
  /** Consumer group suffix and metrics label, e.g. "ingest-guard". */
  name: string;
  topics: readonly string[];
  /**
   * `eventId`: the framework skips a record whose `ce_id` it has seen before
   * (table hub_processed_events). `handler`: the service de-duplicates itself
   * (the ingest guard must compare a second copy with the first).
   */
  idempotency: 'eventId' | 'handler';
  handle(ctx: ServiceContext): Promise<Outcome>;
  /**
   * The records of one batch, in order, in one transaction (docs/hub.md,
   * "Batches"): one outcome per record. Throws RecordFailed (batchSplit.ts)
   * naming the record it could not process, so the ones before it commit
   * without it. Absent: `handle` is called for each record in turn. With
   * `idempotency: 'eventId'` it gets only the records not processed before.
   */
  handleBatch?(ctx: TransactionContext, records: readonly SourceRecord[]): Promise<Outcome[]>;
  /** Timers of the service (started after the consumer joins); stopped by `close`. */
  start?(): void;
  close?(): Promise<void>;
}
