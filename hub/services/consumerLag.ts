import type { Admin } from 'kafkajs';
import type { HubMetrics } from '../metrics/hubMetrics.ts';

export interface PartitionWatermarks {
  partition: number;
  low: string;
  high: string;
}

export interface PartitionLag {
  partition: number;
  lag: number;
}

/**
 * Lag per partition: records between the group's committed offset and the
 * high watermark. A partition the group has never committed (-1) lags by
 * everything still retained (high - low), as kafka-exporter counts it.
 */
export function partitionLags(
  watermarks: readonly PartitionWatermarks[],
  committed: ReadonlyMap<number, string>,
): PartitionLag[] {
  return watermarks.map(({ partition, low, high }) => {
    const offset = committed.get(partition);
    const from = offset === undefined || Number(offset) < 0 ? Number(low) : Number(offset);
    return { partition, lag: Math.max(0, Number(high) - from) };
  });
}

/** Records retained on a topic: the sum over partitions of high minus low. */
export function retainedRecords(watermarks: readonly PartitionWatermarks[]): number {
  return watermarks.reduce((sum, { low, high }) => sum + Math.max(0, Number(high) - Number(low)), 0);
}

/** Reads offsets from Kafka and sets the lag and dead-letter gauges. */
export async function refreshKafkaGauges(
  admin: Admin,
  metrics: HubMetrics,
  groups: readonly { groupId: string; topics: readonly string[] }[],
  deadLetterTopic: string,
): Promise<void> {
  const watermarks = new Map<string, PartitionWatermarks[]>();
  const watermarksOf = async (topic: string) => {
    let found = watermarks.get(topic);
    if (!found) {
      found = await admin.fetchTopicOffsets(topic);
      watermarks.set(topic, found);
    }
    return found;
  };
  for (const { groupId, topics } of groups) {
    const offsets = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const { topic, partitions } of offsets) {
      const committed = new Map(partitions.map(({ partition, offset }) => [partition, offset]));
      for (const { partition, lag } of partitionLags(await watermarksOf(topic), committed)) {
        metrics.consumerLag.set({ consumergroup: groupId, topic, partition: String(partition) }, lag);
      }
    }
  }
  metrics.deadLetterQueueSize.set(
    { topic: deadLetterTopic },
    retainedRecords(await watermarksOf(deadLetterTopic)),
  );
}
