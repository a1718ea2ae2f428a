import kafkajs, {
  type AclEntry,
  type AclOperationTypes as OperationTypes,
  type AclResourceTypes as ResourceTypes,
} from 'kafkajs';
import { eventCatalogue } from '../../kernel/events/catalogue.ts';
import { gatewaySources } from '../../kernel/events/eventTypeSpec.ts';
import { deadLetterTopic, downstreamTopic, downstreamGroupId } from '../../kernel/kafka/kafkaTopics.ts';

// kafkajs is CommonJS and its ACL enums are not visible as named ESM exports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

/** The Kafka principal of a gateway's SCRAM user. */
export function gatewayPrincipal(username: string): string {
  return `User:${username}`;
}

/**
 * The topics a gateway may write: those of the event types whose
 * `publishers` (the platform design's `authorizedPublishers`) include one of the gateway's
 * own sources, plus the dead-letter topic its sync engine moves records
 * Kafka refused for good to (sync/deadLettering.ts). Sorted, prefixed.
 */
export function gatewayWritableTopics(topicPrefix: string): string[] {
  const sources = new Set<string>(Object.values(gatewaySources));
  const topics = new Set<string>([deadLetterTopic]);
  for (const spec of eventCatalogue.values())
    if (spec.publishers.some((publisher) => sources.has(publisher))) topics.add(spec.topic);
  return [...topics].sort().map((topic) => `${topicPrefix}${topic}`);
}

/**
 * The ACLs `nilecare hub gateways enrol` creates (pure): WRITE and DESCRIBE
 * on each writable topic; READ and DESCRIBE on the hub-to-gateway topic and
 * READ on the gateway's own downstream consumer group
 * (sync/downstreamConsumer.ts); literal names, from any host. Nothing else:
 * no cluster rights. With `allow.everyone.if.no.acl.found=false` everything
 * else is denied. Kafka ACLs stop at the topic: the downstream topic's other
 * partitions (other gateways' keys) are readable too (docs/security.md, gaps).
 */
export function gatewayAclPlan(username: string, topicPrefix: string, gatewayId: string): AclEntry[] {
  const principal = gatewayPrincipal(username);
  const allow = (resourceType: ResourceTypes, resourceName: string, operation: OperationTypes) => ({
    resourceType,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  const downstream = `${topicPrefix}${downstreamTopic}`;
  return [
    ...gatewayWritableTopics(topicPrefix).flatMap((topic) =>
      [AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].map((operation) =>
        allow(AclResourceTypes.TOPIC, topic, operation),
      ),
    ),
    allow(AclResourceTypes.TOPIC, downstream, AclOperationTypes.READ),
    allow(AclResourceTypes.TOPIC, downstream, AclOperationTypes.DESCRIBE),
    allow(AclResourceTypes.GROUP, downstreamGroupId(gatewayId), AclOperationTypes.READ),
  ];
}

/** The filter `revoke` deletes with: every ACL of the principal, whatever resource (pure). */
export function gatewayAclRevokeFilter(username: string) {
  return {
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    principal: gatewayPrincipal(username),
    host: '*',
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  };
}
