import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubTopics } from '../../hub/hubTopicNames.ts';
import { testKafka, testKafkaBrokers, uniqueTopic } from '../harness/kafka.ts';
import { testDatabase } from '../harness/postgres.ts';
import { hubBannerPort, startHubCli } from '../harness/hubCli.ts';

describe('nilecare hub start', () => {
  const kafka = testKafka('hub-cli-test');
  const admin = kafka.admin();
  const prefix = `${uniqueTopic('cli')}.`;
  const topics = hubTopics(prefix);
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [...topics.events, topics.deadLetter].map((topic) => ({
        topic,
        numPartitions: 1,
        replicationFactor: 1,
      })),
    });
    database = await testDatabase();
  }, 60_000);
  afterAll(async () => {
    running?.kill('SIGKILL');
    await admin.deleteTopics({ topics: [...topics.events, topics.deadLetter] }).catch(() => undefined);
    await admin.disconnect();
    await database?.drop();
  });

  it('runs the ingest guard with /health, prints where, and stops cleanly on SIGTERM (`nilecare hub` = `hub start`)', async () => {
    const hub = startHubCli(['hub', '--only', 'ingest-guard'], {
      NILECARE_HUB_DATABASE_URL: database.url,
      NILECARE_KAFKA_BROKERS: testKafkaBrokers().join(','),
      NILECARE_HUB_TOPIC_PREFIX: prefix,
      NILECARE_HUB_HTTP_PORT: '0',
      NILECARE_HUB_HTTP_HOST: '127.0.0.1',
    });
    running = hub.child;
    const port = await hubBannerPort(hub);
    expect(hub.output.stderr).toContain('ingest-guard (consumer group nilecare-hub.ingest-guard)');
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  });

  it('refuses to start without a database, with the code and where to read about it', async () => {
    const env = { NILECARE_KAFKA_BROKERS: testKafkaBrokers().join(','), NILECARE_HUB_DATABASE_URL: '' };
    const hub = startHubCli(['hub', 'start'], env);
    expect(await hub.exited).toBe(1);
    expect(hub.output.stderr).toContain('HUB_ERR_OPTION_INVALID: Option databaseUrl is invalid');
    expect(hub.output.stderr).toContain('See docs/errors.md#hub_err_option_invalid');
  });
});
