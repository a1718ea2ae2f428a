import { Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';

/** The test run's Kafka (started by test/globalSetup/kafka.ts). */
export function testKafkaBrokers(): string[] {
  return inject('kafkaBrokers').split(',');
}

/** A kafkajs client for tests, quiet unless something is wrong. */
export function testKafka(clientId = 'nilecare-test'): Kafka {
  return new Kafka({ clientId, brokers: testKafkaBrokers(), logLevel: logLevel.ERROR });
}

/** A topic name no other test uses. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
