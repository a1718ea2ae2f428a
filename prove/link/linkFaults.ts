import { between, type Random } from './seededRandom.ts';

/**
 * The faults of the link campaign (docs/reliability.md#link-campaign), each a
 * thing a clinic's uplink to the hub really does.
 */
export type LinkFault =
  /** Both sides of every connection closed at once. */
  | { kind: 'cut' }
  /** Nothing passes for `ms`; every connection stays open. */
  | { kind: 'stall'; ms: number }
  /** The link carries `bytesPerSecond` in each direction for `ms`. */
  | { kind: 'slow'; bytesPerSecond: number; ms: number }
  /** Produce requests reach the broker, its acknowledgements are lost: the producer sends again. */
  | { kind: 'lost-ack' }
  /** The broker process is stopped (SIGTERM) and started again on the same data. */
  | { kind: 'broker-restart' };

export type LinkFaultKind = LinkFault['kind'];
export const linkFaultKinds: readonly LinkFaultKind[] = [
  'cut',
  'stall',
  'slow',
  'lost-ack',
  'broker-restart',
];

/** Share of each kind in a long plan: restarts are the slowest, so the fewest. */
const weights: Record<LinkFaultKind, number> = {
  cut: 0.35,
  stall: 0.25,
  slow: 0.2,
  'lost-ack': 0.15,
  'broker-restart': 0.05,
};

function faultOf(kind: LinkFaultKind, random: Random): LinkFault {
  switch (kind) {
    case 'cut':
    case 'lost-ack':
    case 'broker-restart':
      return { kind };
    case 'stall':
      // Under the hub's consumer session timeout and the sync request timeout
      // alike some of the time, past the request timeout at others.
      return { kind, ms: between(random, 500, 6000) };
    case 'slow':
      return { kind, bytesPerSecond: between(random, 2, 64) * 1024, ms: between(random, 1000, 5000) };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/**
 * `count` faults: every kind once first (shuffled), so even the short form
 * meets each, then a weighted random mix.
 */
export function linkFaultPlan(count: number, random: Random): LinkFault[] {
  const kinds = [...linkFaultKinds];
  for (let i = kinds.length - 1; i > 0; i -= 1) {
    const j = between(random, 0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const plan = kinds.slice(0, count).map((kind) => faultOf(kind, random));
  while (plan.length < count) {
    let pick = random();
    const kind =
      linkFaultKinds.find((candidate) => {
        pick -= weights[candidate];
        return pick < 0;
      }) ?? 'cut';
    plan.push(faultOf(kind, random));
  }
  return plan;
}
