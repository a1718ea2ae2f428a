import type { Admin } from 'kafkajs';
import { uniqueTopic } from './kafka.ts';

/**
 * Topic prefixes for one test file: each test applies the topics file under a
 * prefix no other test (or test file on the same broker) uses, and everything
 * under them is deleted at the end.
 */
export function topicPrefixes(label: string) {
  const made: string[] = [];
  return {
    next(): string {
      const prefix = `${uniqueTopic(label)}.`;
      made.push(prefix);
      return prefix;
    },
    async deleteAll(admin: Admin): Promise<void> {
      const topics = (await admin.listTopics()).filter((name) =>
        made.some((prefix) => name.startsWith(prefix)),
      );
      if (topics.length > 0) await admin.deleteTopics({ topics });
    },
  };
}
