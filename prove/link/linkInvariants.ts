import type { Violation } from '../campaign.ts';

/** One event of the gateway's log, as its SQLite file holds it. */
export interface LoggedEvent {
  seq: number;
  eventId: string;
  hash: string;
}

/** One row of the hub's gateway_events for that gateway. */
export interface HubEventRow {
  seq: number;
  eventId: string;
  status: string;
  chain: string;
}

/** What the campaign reads at the end, from both ends of the link. */
export interface LinkEnds {
  gatewayLog: readonly LoggedEvent[];
  hubEvents: readonly HubEventRow[];
  /** gateway_chains' row for the gateway; undefined when the hub never saw it. */
  hubChain: { headSeq: number; headHash: string } | undefined;
  /** ingest_rejections rows naming the gateway. */
  hubRejections: number;
  /** sequence_gaps rows of the gateway not filled. */
  hubOpenGaps: number;
  /** Records of the gateway on the hub's dead-letter topic. */
  hubDeadLetters: number;
  /** Events the gateway's sync still has to send. */
  gatewayBacklog: number;
  /** Events the gateway's sync dead-lettered (each with a coded reason). */
  gatewayDeadLetters: number;
  /** PUBACKed device readings (device keys) and how often each is in the gateway's log. */
  acknowledgedReadings: ReadonlyMap<string, number>;
}

/**
 * The link campaign's end state (docs/architecture.md#guarantee-1 and
 * #guarantee-4, docs/sync.md): every PUBACKed reading in the gateway's log
 * once; every event of the log in the hub's PostgreSQL exactly once and
 * accepted; the hub's chain head the gateway's last hash; nothing refused,
 * missing or stuck on either side.
 */
export function linkEndViolations(ends: LinkEnds, round: number): Violation[] {
  const violations: Violation[] = [];
  const add = (guarantee: string, detail: string) => violations.push({ round, guarantee, detail });

  const notOnce = [...ends.acknowledgedReadings].filter(([, count]) => count !== 1);
  if (notOnce.length > 0)
    add(
      'every PUBACKed reading is in the gateway log exactly once',
      `${notOnce.length} not: ${notOnce
        .slice(0, 5)
        .map(([key, count]) => `${key} x${count}`)
        .join(', ')}`,
    );

  const hubBySeq = new Map<number, HubEventRow[]>();
  for (const row of ends.hubEvents) hubBySeq.set(row.seq, [...(hubBySeq.get(row.seq) ?? []), row]);
  const missing: number[] = [];
  const wrong: string[] = [];
  for (const event of ends.gatewayLog) {
    const rows = hubBySeq.get(event.seq) ?? [];
    if (rows.length === 0) missing.push(event.seq);
    else if (rows.length > 1 || rows[0]!.eventId !== event.eventId || rows[0]!.status !== 'accepted')
      wrong.push(
        `seq ${event.seq}: ${rows.map((row) => `${row.eventId} ${row.status}/${row.chain}`).join('; ')}`,
      );
  }
  if (missing.length > 0)
    add(
      'every event of the gateway log is at the hub',
      `${missing.length} missing, first seqs ${missing.slice(0, 10).join(', ')}`,
    );
  if (wrong.length > 0)
    add('each event is stored once and accepted', `${wrong.length} not: ${wrong.slice(0, 5).join(' | ')}`);
  const logged = new Set(ends.gatewayLog.map((event) => event.seq));
  const extra = ends.hubEvents.filter((row) => !logged.has(row.seq));
  if (extra.length > 0)
    add(
      'the hub holds nothing the gateway did not log',
      `${extra.length} rows, seqs ${extra
        .slice(0, 10)
        .map((row) => row.seq)
        .join(', ')}`,
    );

  const last = ends.gatewayLog.at(-1);
  if (last && (ends.hubChain?.headSeq !== last.seq || ends.hubChain.headHash !== last.hash))
    add(
      "the hub's chain head is the gateway's last event",
      `gateway ${last.seq}/${last.hash.slice(0, 12)}, hub ${ends.hubChain ? `${ends.hubChain.headSeq}/${ends.hubChain.headHash.slice(0, 12)}` : 'none'}`,
    );

  const stuck: [string, number][] = [
    ['ingest rejections at the hub', ends.hubRejections],
    ['open sequence gaps at the hub', ends.hubOpenGaps],
    ["records on the hub's dead-letter topic", ends.hubDeadLetters],
    ["events in the gateway's sync backlog", ends.gatewayBacklog],
    ["events in the gateway's sync dead letters", ends.gatewayDeadLetters],
  ];
  for (const [what, count] of stuck)
    if (count > 0) add('nothing refused or stuck on either side', `${count} ${what}`);
  return violations;
}
