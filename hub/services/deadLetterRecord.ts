import type { IHeaders } from 'kafkajs';
import type { OutgoingRecord, RejectionReason, SourceRecord } from './hubService.ts';

/** Headers a dead-lettered record carries besides its own (docs/hub.md, "Dead letters"). */
export const deadLetterHeaders = {
  reason: 'x-nilecare-reason',
  reasonCode: 'x-nilecare-reason-code',
  originalTopic: 'x-nilecare-original-topic',
  originalPartition: 'x-nilecare-original-partition',
  originalOffset: 'x-nilecare-original-offset',
  service: 'x-nilecare-service',
  deadLetteredAt: 'x-nilecare-dead-lettered-at',
} as const;

const maxReasonLength = 1000; // characters: a header, not a report

/** Kafka headers as strings (the first value of a repeated header). */
export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, header] of Object.entries(headers ?? {})) {
    if (header === undefined) continue;
    const first = Array.isArray(header) ? header[0] : header;
    if (first !== undefined) flat[name] = first.toString();
  }
  return flat;
}

/**
 * The dead-letter copy of a record: its key, value and headers unchanged, plus
 * the reason and where it came from, so it can be inspected and replayed.
 */
export function deadLetterRecord(
  original: SourceRecord,
  reason: RejectionReason,
  where: { topic: string; service: string; at: Date },
): OutgoingRecord {
  return {
    topic: where.topic,
    key: original.key?.toString() ?? null,
    value: original.value,
    headers: {
      ...headerStrings(original.headers),
      [deadLetterHeaders.reason]: reason.message.slice(0, maxReasonLength),
      [deadLetterHeaders.reasonCode]: reason.code,
      [deadLetterHeaders.originalTopic]: original.topic,
      [deadLetterHeaders.originalPartition]: String(original.partition),
      [deadLetterHeaders.originalOffset]: original.offset,
      [deadLetterHeaders.service]: where.service,
      [deadLetterHeaders.deadLetteredAt]: where.at.toISOString(),
    },
  };
}
