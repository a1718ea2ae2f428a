import { describe, expect, it } from 'vitest';
import { partitionLags, retainedRecords } from '../../../hub/services/consumerLag.ts';
import { deadLetterHeaders, deadLetterRecord } from '../../../hub/services/deadLetterRecord.ts';
import { firstNotReadyDelayMs, notReadyDelayMs, retryDelayMs } from '../../../hub/services/retrySchedule.ts';

describe('the wait between tries of a record', () => {
  const options = { attempts: 6, initialDelayMs: 100, maxDelayMs: 1000 };
  it('is none before the first try, then doubles from the initial delay up to the cap', () => {
    const fixed = (attempt: number) => retryDelayMs(attempt, options, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(fixed)).toEqual([0, 100, 200, 400, 800, 1000]);
  });
  it('keeps at least half of each wait fixed and jitters the other half', () => {
    expect(retryDelayMs(3, options, () => 0)).toBe(100);
    expect(retryDelayMs(3, options, () => 0.5)).toBe(150);
  });
  it('is short for a record the guard has not settled yet, doubling up to the failure schedule', () => {
    const waitsBeforeTry = (waits: number, attempt = 1) => notReadyDelayMs(waits, attempt, options, () => 1);
    expect([1, 2, 3, 4, 5].map((waits) => waitsBeforeTry(waits))).toEqual([
      firstNotReadyDelayMs,
      firstNotReadyDelayMs * 2,
      firstNotReadyDelayMs * 4,
      firstNotReadyDelayMs * 8,
      firstNotReadyDelayMs * 16,
    ]);
    // Never longer than a failure's wait would be: after many waits the cap still holds.
    expect(waitsBeforeTry(20)).toBe(retryDelayMs(21, options, () => 1));
    expect(waitsBeforeTry(20)).toBe(options.maxDelayMs);
  });
});

describe('a dead letter', () => {
  const original = {
    topic: 'device-events',
    partition: 7,
    offset: '42',
    key: Buffer.from('p-1'),
    value: Buffer.from('{"bad":'),
    headers: { ce_id: Buffer.from('e-1'), gatewayId: 'gw-1' },
  };
  it('keeps the key, value and headers, and adds the reason and where the record came from', () => {
    const letter = deadLetterRecord(
      original,
      { code: 'HUB_ERR_RECORD_UNREADABLE', message: 'Record unreadable: not JSON' },
      { topic: 'dead-letter-events', service: 'ingest-guard', at: new Date('2026-01-01T00:00:00Z') },
    );
    expect(letter).toEqual({
      topic: 'dead-letter-events',
      key: 'p-1',
      value: original.value,
      headers: {
        ce_id: 'e-1',
        gatewayId: 'gw-1',
        [deadLetterHeaders.reason]: 'Record unreadable: not JSON',
        [deadLetterHeaders.reasonCode]: 'HUB_ERR_RECORD_UNREADABLE',
        [deadLetterHeaders.originalTopic]: 'device-events',
        [deadLetterHeaders.originalPartition]: '7',
        [deadLetterHeaders.originalOffset]: '42',
        [deadLetterHeaders.service]: 'ingest-guard',
        [deadLetterHeaders.deadLetteredAt]: '2026-01-01T00:00:00.000Z',
      },
    });
  });
  it('cuts a very long reason to 1000 characters', () => {
    const letter = deadLetterRecord(
      original,
      { code: 'HUB_ERR_EVENT_INVALID', message: 'y'.repeat(5000) },
      { topic: 'dlq', service: 's', at: new Date() },
    );
    expect(letter.headers[deadLetterHeaders.reason]).toHaveLength(1000);
  });
});

describe('consumer lag', () => {
  const watermarks = [
    { partition: 0, low: '0', high: '10' },
    { partition: 1, low: '5', high: '8' },
    { partition: 2, low: '0', high: '0' },
  ];
  it('counts from the committed offset to the high watermark per partition', () => {
    expect(
      partitionLags(
        watermarks,
        new Map([
          [0, '7'],
          [1, '8'],
          [2, '0'],
        ]),
      ),
    ).toEqual([
      { partition: 0, lag: 3 },
      { partition: 1, lag: 0 },
      { partition: 2, lag: 0 },
    ]);
  });
  it('counts everything retained on a partition the group never committed', () => {
    expect(partitionLags(watermarks, new Map([[0, '-1']]))).toEqual([
      { partition: 0, lag: 10 },
      { partition: 1, lag: 3 },
      { partition: 2, lag: 0 },
    ]);
  });
  it('sizes a topic as what its partitions retain', () => {
    expect(retainedRecords(watermarks)).toBe(13);
  });
});
