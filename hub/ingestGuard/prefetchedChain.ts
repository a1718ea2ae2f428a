import type { HubTx } from '../db/hubDatabase.ts';
import { type ChainReader, directReader } from './chainSettlement.ts';
import { explainedHolesFrom } from './explainedHoles.ts';
import { eventsFrom, type Settlement, settleEvents, type StoredEvent } from './ingestStore.ts';

const prefetchLimit = 2000; // events: what waits above a head beyond this is read one by one

export interface PrefetchedChain extends ChainReader {
  /** Writes the verdicts collected so far in one statement; returns them by seq. */
  flush(): Promise<Map<number, Settlement>>;
}

/**
 * A gateway's chain above its head read in two queries (its stored events and
 * the holes it explained), and the verdicts settling writes collected for one
 * statement: how a batch settles a chain (docs/hub.md, "Batches") with the
 * same rules (chainSettlement.ts) as a record at a time.
 */
export async function prefetchedChain(
  tx: HubTx,
  gatewayId: string,
  headSeq: number,
): Promise<PrefetchedChain> {
  const direct = directReader(tx, gatewayId);
  const events = await eventsFrom(tx, gatewayId, headSeq, prefetchLimit);
  const complete = events.length < prefetchLimit;
  const lastFetched = events.at(-1)?.seq ?? headSeq;
  const bySeq = new Map(events.map((event) => [event.seq, event]));
  const holes = new Map((await explainedHolesFrom(tx, gatewayId, headSeq)).map((hole) => [hole.seq, hole]));
  const verdicts = new Map<number, Settlement>();
  return {
    async eventAt(seq) {
      const known = bySeq.get(seq);
      if (known || complete || seq <= lastFetched) return known;
      return direct.eventAt(seq);
    },
    holeAt: async (seq) => holes.get(seq),
    async settle(stored: StoredEvent, settled: Settlement) {
      verdicts.set(stored.seq, settled);
    },
    async flush() {
      await settleEvents(
        tx,
        gatewayId,
        [...verdicts].map(([seq, settled]) => ({ ...settled, seq })),
      );
      return verdicts;
    },
  };
}
