import { describe, expect, it } from 'vitest';
import { humanDuration, renderSyncStatus } from '../../sync/statusReport.ts';
import type { SyncStatus } from '../../sync/syncStatus.ts';

const status: SyncStatus = {
  asOf: '2026-03-01T10:00:00.000Z',
  engine: 'running',
  brokers: ['hub-1:9092', 'hub-2:9092'],
  connected: false,
  connectedChangedAt: '2026-03-01T09:59:00.000Z',
  lastSuccessfulSendAt: '2026-03-01T09:58:59.000Z',
  lastError: {
    code: 'SYNC_ERR_KAFKA_UNREACHABLE',
    message: 'Kafka brokers hub-1:9092 could not be reached',
    at: '2026-03-01T09:59:00.000Z',
  },
  headSeq: 5000,
  acknowledgedThroughSeq: 3765,
  prunedThroughSeq: 1000,
  lanes: [
    { lane: 'alert', deliveredThroughSeq: 4990, backlog: 0, oldestUnsyncedAt: null },
    {
      lane: 'clinical',
      deliveredThroughSeq: 4000,
      backlog: 12,
      oldestUnsyncedAt: '2026-03-01T09:57:00.000Z',
    },
    {
      lane: 'telemetry',
      deliveredThroughSeq: 3765,
      backlog: 1223,
      oldestUnsyncedAt: '2026-03-01T09:56:56.000Z',
    },
    { lane: 'audit', deliveredThroughSeq: 0, backlog: 0, oldestUnsyncedAt: null },
  ],
  backlog: 1235,
  oldestUnsyncedAt: '2026-03-01T09:56:56.000Z',
  oldestUnsyncedSeconds: 184,
  sendRate: { eventsPerSecond: 0, bytesPerSecond: 0 },
  estimatedDrainSeconds: null,
  deadLetters: {
    count: 1,
    recent: [
      {
        seq: 42,
        eventId: '0190',
        eventType: 'lab_result_available',
        lane: 'clinical',
        topic: 'lab-events',
        recordBytes: 2_000_000,
        reasonCode: 'MESSAGE_TOO_LARGE',
        reason: 'too large',
        failedAt: '2026-03-01T09:00:00.000Z',
        hubNotified: true,
      },
    ],
  },
};

describe('nilecare sync status, as printed', () => {
  it('says whether the hub is reachable, what waits per lane and for how long, and what failed', () => {
    const text = renderSyncStatus(status);
    expect(text).toContain('Sync engine: running, not connected to hub-1:9092,hub-2:9092');
    expect(text).toContain(
      'Backlog: 1,235 events, oldest 3 min 4 s old (alert 0, clinical 12, telemetry 1,223, audit 0)',
    );
    expect(text).toContain('estimated drain: unknown (nothing moving)');
    expect(text).toContain('Acknowledged by the hub through seq 3765 of 5000; pruned through seq 1000');
    expect(text).toContain('seq 42 lab_result_available (clinical) MESSAGE_TOO_LARGE');
    expect(text).toContain('SYNC_ERR_KAFKA_UNREACHABLE');
  });

  it('writes durations for people', () => {
    expect([5, 184, 7260, 190_000].map(humanDuration)).toEqual(['5 s', '3 min 4 s', '2 h 1 min', '2 d 4 h']);
  });
});
