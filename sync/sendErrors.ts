/**
 * What a failed send means for the events in it (pure):
 * - `rejected`: Kafka refused the records themselves for good (too large,
 *   invalid). Resending cannot help; the batch is split until the one record
 *   Kafka refuses is alone, and that one goes to the local dead-letter table.
 * - `transient`: the link, the broker, leadership, a missing topic, a
 *   timeout. The same events are sent again after a backoff; the hub
 *   de-duplicates what Kafka may already have written.
 */
export type SendFailure = { kind: 'rejected' | 'transient'; code: string; message: string };

/**
 * Kafka protocol errors that condemn the records, not the link (Kafka
 * protocol error codes 10, 18, 87). RECORD_LIST_TOO_LARGE names the
 * batch: splitting it finds out whether one record alone is too large.
 *
 * INVALID_TIMESTAMP (32) is not one of them: the record's timestamp is the
 * gateway's clock at send time, and the broker refuses it when that clock is
 * further from its own than the topic's message.timestamp.after.max.ms (one
 * hour by default since Kafka 4.0) or before.max.ms. The fault is the
 * gateway's clock, not the event: dead-lettering would keep a clinical fact
 * from the hub for good, so the send is retried and the error shown until the
 * clock is set (docs/sync.md#when-kafka-refuses-an-event).
 */
const recordRejections = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

interface KafkaLikeError {
  name?: unknown;
  type?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** kafkajs wraps the broker's error (NonRetriable, NumberOfRetriesExceeded): walk the causes. */
function causes(error: unknown): KafkaLikeError[] {
  const chain: KafkaLikeError[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 10 && !chain.includes(current)) {
    chain.push(current as KafkaLikeError);
    const next = current as KafkaLikeError;
    current = next.cause ?? next.originalError;
  }
  return chain;
}

export function classifySendError(error: unknown): SendFailure {
  const chain = causes(error);
  const typed = chain.find((link) => typeof link.type === 'string');
  const code = typeof typed?.type === 'string' ? typed.type : nameOf(chain.at(-1) ?? chain[0]);
  const message = messageOf(chain.at(-1) ?? error);
  return { kind: recordRejections.has(code) ? 'rejected' : 'transient', code, message };
}

function nameOf(error: KafkaLikeError | undefined): string {
  return typeof error?.name === 'string' && error.name !== '' ? error.name : 'Error';
}

function messageOf(error: unknown): string {
  if (error && typeof error === 'object' && typeof (error as KafkaLikeError).message === 'string')
    return (error as { message: string }).message;
  return String(error);
}
