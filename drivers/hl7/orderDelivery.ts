import { fieldValue, parseHl7 } from './hl7Message.ts';

/** What became of one try to send an order to the laboratory system. */
export type SendOutcome =
  | { kind: 'accepted' }
  /** MSA-1 AE/AR/CE/CR: the laboratory system answered and refused it. */
  | { kind: 'refused'; reason: string }
  /** No connection, no answer within the timeout, or an answer that is no ACK of this message. */
  | { kind: 'unanswered'; reason: string };

/**
 * Reads the laboratory system's answer to the message with `controlId`
 * (HL7 2.5.1 section 2.9: MSA-1 table 0008 AA/CA accept, AE/CE error,
 * AR/CR reject; MSA-2 the control id answered). An answer to another
 * message, or no HL7 at all, counts as no answer: the order is sent again
 * with the same control id.
 */
export function readOrderAck(payload: string, controlId: string): SendOutcome {
  const parsed = parseHl7(payload);
  if (!parsed.ok) return { kind: 'unanswered', reason: `the answer is not HL7: ${parsed.reason}` };
  const msa = parsed.message.segments.find((segment) => segment.name === 'MSA');
  if (!msa) return { kind: 'unanswered', reason: 'the answer has no MSA segment' };
  if (fieldValue(msa, 2) !== controlId)
    return { kind: 'unanswered', reason: 'the answer acknowledges another message (MSA-2)' };
  const code = fieldValue(msa, 1);
  if (code === 'AA' || code === 'CA') return { kind: 'accepted' };
  if (code === 'AE' || code === 'AR' || code === 'CE' || code === 'CR') {
    const err = parsed.message.segments.find((segment) => segment.name === 'ERR');
    const detail = fieldValue(msa, 3) || fieldValue(err, 8) || fieldValue(err, 3);
    return { kind: 'refused', reason: `MSA-1 ${code}${detail ? `: ${detail}` : ''}`.slice(0, 300) };
  }
  return { kind: 'unanswered', reason: `MSA-1 is not an acknowledgement code (${code.slice(0, 10)})` };
}

export interface RetryPolicy {
  /** First wait after a failed try, in milliseconds; doubled at each try. */
  retryBaseMs: number;
  /** Longest wait between tries, in milliseconds. */
  retryMaxMs: number;
  /** Refusals (AE/AR/CE/CR) after which the order is marked failed and no longer sent. */
  maxRefusals: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retryBaseMs: 5_000, // ms
  retryMaxMs: 300_000, // ms: five minutes
  maxRefusals: 5,
};

/** What the outbox does with a row after a try (pure). */
export type NextStep =
  | { kind: 'delivered' }
  | { kind: 'retry'; at: Date; reason: string }
  | { kind: 'failed'; reason: string };

/**
 * After a try: delivered when accepted; a refusal is tried again with
 * backoff until `maxRefusals`, then failed (a person looks at it: the
 * laboratory system will not take it as it is); no answer is tried again
 * with backoff for as long as it takes, since the order is still owed.
 */
export function nextStep(
  outcome: SendOutcome,
  tries: { attempts: number; refusals: number },
  policy: RetryPolicy,
  now: Date,
): NextStep {
  if (outcome.kind === 'accepted') return { kind: 'delivered' };
  if (outcome.kind === 'refused' && tries.refusals + 1 >= policy.maxRefusals)
    return { kind: 'failed', reason: outcome.reason };
  const wait = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.min(tries.attempts, 20));
  return { kind: 'retry', at: new Date(now.getTime() + wait), reason: outcome.reason };
}
