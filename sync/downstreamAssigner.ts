import { AssignerProtocol, type PartitionAssigner, Partitioners } from 'kafkajs';

/**
 * A partition assigner that gives a gateway only the partition its own key
 * (its gatewayId) hashes to, with the producer's partitioner (murmur2, as
 * Kafka's Java client), so a clinic on a thin link fetches its own records
 * and those of the few gateways that share the partition, not the whole topic.
 * The consumer filters by key as well. Name and version are the protocol's.
 */
export function ownKeyAssigner(key: string): PartitionAssigner {
  return ({ cluster }) => ({
    name: 'NileCareOwnKeyAssigner',
    version: 1,
    async assign({ members, topics }) {
      const assignment: Record<string, number[]> = {};
      for (const topic of topics) {
        const partitionMetadata = cluster.findTopicPartitionMetadata(topic);
        if (partitionMetadata.length === 0) continue;
        const partition = Partitioners.DefaultPartitioner()({
          topic,
          partitionMetadata,
          message: { key, value: null },
        });
        assignment[topic] = [partition];
      }
      // One consumer per gateway; should a second join, it waits idle.
      return [...members]
        .sort((a, b) => a.memberId.localeCompare(b.memberId))
        .map((member, index) => ({
          memberId: member.memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 1,
            assignment: index === 0 ? assignment : {},
            userData: Buffer.alloc(0),
          }),
        }));
    },
    protocol({ topics }) {
      return {
        name: 'NileCareOwnKeyAssigner',
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}
