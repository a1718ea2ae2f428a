import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';
import { gatewaySources } from '../../../kernel/events/eventTypeSpec.ts';
import {
  gatewayAclPlan,
  gatewayAclRevokeFilter,
  gatewayWritableTopics,
} from '../../../hub/security/gatewayAcls.ts';
import { downstreamTopic } from '../../../kernel/kafka/kafkaTopics.ts';
import { scramPasswordProblem } from '../../../hub/security/scramUsers.ts';

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;
const sources = new Set<string>(Object.values(gatewaySources));

describe('gateway ACL plan', () => {
  it('lets a gateway write exactly the topics of the event types its sources may publish, plus dead letters', () => {
    const topics = gatewayWritableTopics('');
    const expected = new Set(
      [...eventCatalogue.values()]
        .filter((spec) => spec.publishers.some((publisher) => sources.has(publisher)))
        .map((spec) => spec.topic),
    );
    expect(topics).toEqual([...expected, 'dead-letter-events'].sort());
    // Topics only hub services publish stay closed to gateways.
    const hubOnly = [...eventCatalogue.values()]
      .filter((spec) => !spec.publishers.some((publisher) => sources.has(publisher)))
      .map((spec) => spec.topic)
      .filter((topic) => !expected.has(topic));
    for (const topic of hubOnly) expect(topics).not.toContain(topic);
  });

  it('grants WRITE and DESCRIBE on literal, prefixed topic names to the principal, allow only', () => {
    const plan = gatewayAclPlan('gw-7', 'staging.', 'gateway-7');
    const topics = gatewayWritableTopics('staging.');
    const writable = plan.filter((acl) => topics.includes(acl.resourceName));
    expect(writable).toHaveLength(topics.length * 2);
    for (const topic of topics) {
      expect(topic.startsWith('staging.')).toBe(true);
      const ops = plan.filter((acl) => acl.resourceName === topic).map((acl) => acl.operation);
      expect(ops.sort()).toEqual([AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE].sort());
    }
    for (const acl of plan) {
      expect(acl).toMatchObject({
        resourcePatternType: ResourcePatternTypes.LITERAL,
        principal: 'User:gw-7',
        host: '*',
        permissionType: AclPermissionTypes.ALLOW,
      });
    }
    // READ only on the hub-to-gateway topic and the gateway's own downstream group.
    const reads = plan.filter((acl) => acl.operation === AclOperationTypes.READ);
    expect(reads.map((acl) => [acl.resourceType, acl.resourceName])).toEqual([
      [AclResourceTypes.TOPIC, `staging.${downstreamTopic}`],
      [AclResourceTypes.GROUP, 'nilecare-gateway.gateway-7.downstream'],
    ]);
    expect(plan).toHaveLength(topics.length * 2 + 3);
  });

  it('revokes every ACL of the principal and nobody else', () => {
    expect(gatewayAclRevokeFilter('gw-7')).toMatchObject({
      principal: 'User:gw-7',
      resourceType: AclResourceTypes.ANY,
      operation: AclOperationTypes.ANY,
    });
  });

  it('refuses passwords the SCRAM credential syntax would cut', () => {
    expect(scramPasswordProblem('short')).toMatch(/shorter/);
    expect(scramPasswordProblem('long-enough,but-comma')).toMatch(/comma/);
    expect(scramPasswordProblem('long-enough=equals')).toMatch(/equals/);
    expect(scramPasswordProblem('a-good-password-123')).toBeUndefined();
  });
});
