import { type AstmMessage, type AstmRecord, componentsOf, fieldOf } from './astmRecords.ts';

/**
 * What an analyzer asks the host in a request information record (E1394 Q
 * record, LIS2-A2 "host query"): the orders of one or more specimens it has
 * just read the barcodes of, of every specimen ("ALL"), or of a range of
 * specimen ids; or that its last request be cancelled (Q.13 = "A").
 */
export type HostQuery =
  | { kind: 'specimens'; specimenIds: readonly string[] }
  | { kind: 'all' }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'cancel' }
  | { kind: 'unreadable'; reason: string };

/** E1394 Q.13 (request information status code): "A" cancels the last request; no reply is due. */
const cancelStatus = 'A';

/** The host queries of a message, one per Q record, in order. */
export function hostQueriesOf(message: AstmMessage): HostQuery[] {
  return message.queries.map((record) => hostQueryOf(record, message.delimiters));
}

/**
 * One Q record read (pure). Q.3 starting range id: each repeat is
 * "patient id^specimen id^..." (E1394 request information record); the
 * specimen id is component 2, and analyzers that put the barcode elsewhere
 * ("^^ 0001^B", Sysmex; "S123" alone) are read by the first non-blank
 * component after the patient's. Q.4 ending range id makes it a range;
 * "ALL" in Q.3 asks for every specimen.
 */
export function hostQueryOf(record: AstmRecord, delimiters: AstmMessage['delimiters']): HostQuery {
  const status = (fieldOf(record, 13) ?? '').trim().toUpperCase();
  if (status === cancelStatus) return { kind: 'cancel' };
  const starting = fieldOf(record, 3) ?? '';
  if (starting.trim().toUpperCase() === 'ALL' || specimenOf(starting, delimiters)?.toUpperCase() === 'ALL')
    return { kind: 'all' };
  const specimenIds = starting
    .split(delimiters.repeat)
    .map((repeat) => specimenOf(repeat, delimiters))
    .filter((id): id is string => id !== undefined);
  if (specimenIds.length === 0)
    return { kind: 'unreadable', reason: 'Q.3 (starting range id) names no specimen' };
  const ending = specimenOf(fieldOf(record, 4) ?? '', delimiters);
  if (ending !== undefined && ending !== specimenIds[0] && specimenIds.length === 1)
    return { kind: 'range', from: specimenIds[0]!, to: ending };
  return { kind: 'specimens', specimenIds: [...new Set(specimenIds)] };
}

function specimenOf(repeat: string, delimiters: AstmMessage['delimiters']): string | undefined {
  const parts = componentsOf(repeat, delimiters).map((part) => part.trim());
  if (parts.length === 1) return parts[0] || undefined;
  return parts.slice(1).find((part) => part !== '');
}
