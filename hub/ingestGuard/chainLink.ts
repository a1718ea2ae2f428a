import { chainHash, hashedBody } from '../../kernel/events/chainHash.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';

/**
 * Whether `event` follows the event before it in its gateway's chain:
 * hash = SHA-256(previous hash ‖ canonical body without hash) (docs/architecture.md#the-event). Seq 1 follows the genesis hash.
 */
export function linkHolds(previousHash: string, event: ClinicalEvent): boolean {
  return chainHash(previousHash, hashedBody(event)) === event.hash;
}

export type ChainState = 'linked' | 'broken';

/** The verdict of settling a stored event into the chain, given whether its link holds. */
export function settledVerdict(
  row: { contentOk: boolean },
  holds: boolean,
): { chain: ChainState; accept: boolean; breaksChain: boolean } {
  return { chain: holds ? 'linked' : 'broken', accept: holds && row.contentOk, breaksChain: !holds };
}
