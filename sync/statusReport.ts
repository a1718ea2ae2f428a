import type { SyncStatus } from './syncStatus.ts';

/** A duration for people: "45 s", "3 min 4 s", "2 h 5 min", "3 d 4 h". */
export function humanDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** What `nilecare sync status` prints (pure, so tests read it without a process). */
export function renderSyncStatus(status: SyncStatus): string {
  const lines: string[] = [];
  const link = status.connected ? 'connected' : 'not connected';
  const brokers = status.brokers.length > 0 ? ` to ${status.brokers.join(',')}` : '';
  lines.push(`Sync engine: ${status.engine}, ${link}${brokers}`);
  lines.push(`Last successful send: ${status.lastSuccessfulSendAt ?? 'never'}`);
  const lanes = status.lanes.map((lane) => `${lane.lane} ${count(lane.backlog)}`).join(', ');
  const oldest =
    status.oldestUnsyncedSeconds === null
      ? ''
      : `, oldest ${humanDuration(status.oldestUnsyncedSeconds)} old`;
  lines.push(`Backlog: ${count(status.backlog)} events${oldest} (${lanes})`);
  const { eventsPerSecond, bytesPerSecond } = status.sendRate;
  const drain =
    status.estimatedDrainSeconds === null
      ? 'unknown (nothing moving)'
      : humanDuration(status.estimatedDrainSeconds);
  lines.push(
    `Send rate: ${eventsPerSecond.toFixed(1)} events/s, ${Math.round(bytesPerSecond / 1024)} KiB/s; estimated drain: ${drain}`,
  );
  lines.push(
    `Acknowledged by the hub through seq ${status.acknowledgedThroughSeq} of ${status.headSeq}; pruned through seq ${status.prunedThroughSeq}`,
  );
  lines.push(`Dead letters: ${status.deadLetters.count}`);
  for (const letter of status.deadLetters.recent)
    lines.push(
      `  seq ${letter.seq} ${letter.eventType} (${letter.lane}) ${letter.reasonCode} at ${letter.failedAt}`,
    );
  if (status.lastError)
    lines.push(`Last error (${status.lastError.at}): ${status.lastError.code}: ${status.lastError.message}`);
  return lines.join('\n');
}
