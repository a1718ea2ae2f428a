import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubTopics } from '../../../../hub/hubTopicNames.ts';
import { testKafka, testKafkaBrokers, uniqueTopic } from '../../../harness/kafka.ts';
import { testDatabase } from '../../../harness/postgres.ts';
import { hubBannerPort, startHubCli } from '../../../harness/hubCli.ts';

const token = 'cli-token-0123456789abcdef';

/** `nilecare hub start --only fhir`: the FHIR service alone in a process, with its API. */
describe('nilecare hub start --only fhir', () => {
  const kafka = testKafka('hub-cli-fhir-test');
  const admin = kafka.admin();
  const prefix = `${uniqueTopic('cli-fhir')}.`;
  const topics = hubTopics(prefix);
  let database: Awaited<ReturnType<typeof testDatabase>>;

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
    await admin.deleteTopics({ topics: [...topics.events, topics.deadLetter] }).catch(() => undefined);
    await admin.disconnect();
    await database?.drop();
  });

  it('runs only the FHIR service, serves /fhir, and stops cleanly', async () => {
    const hub = startHubCli(['hub', 'start', '--only', 'fhir'], {
      NILECARE_HUB_DATABASE_URL: database.url,
      NILECARE_KAFKA_BROKERS: testKafkaBrokers().join(','),
      NILECARE_HUB_TOPIC_PREFIX: prefix,
      NILECARE_HUB_HTTP_PORT: '0',
      NILECARE_HUB_HTTP_HOST: '127.0.0.1',
      NILECARE_HUB_API_TOKEN: token,
    });
    const { child, output, exited } = hub;
    try {
      const port = await hubBannerPort(hub);
      expect(output.stderr).toContain('fhir (consumer group nilecare-hub.fhir)');
      expect(output.stderr).not.toContain('ingest-guard (consumer group');
      const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
        services: { name: string }[];
      };
      expect(health.services.map((service) => service.name)).toEqual(['fhir']);
      // Lag is read from Kafka at each scrape: the FHIR group's, per topic and partition.
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(
        /kafka_consumergroup_lag\{consumergroup="nilecare-hub\.fhir",topic="[^"]+clinical-events"/,
      );
      expect(metrics).toContain('event_processing_duration_seconds');
      const metadata = await fetch(`http://127.0.0.1:${port}/fhir/metadata`);
      expect(metadata.headers.get('content-type')).toContain('application/fhir+json');
      expect(((await metadata.json()) as { resourceType: string }).resourceType).toBe('CapabilityStatement');
      const missing = await fetch(`http://127.0.0.1:${port}/fhir/Patient/nobody`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
