import { createServer } from 'node:net';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { nilecareCli, runNilecare } from '../../harness/gatewayProcess.ts';
import { testKafka, testKafkaBrokers } from '../../harness/kafka.ts';
import { topicPrefixes } from '../../harness/prefixedTopics.ts';

const brokers = () => testKafkaBrokers().join(',');
const prefixes = topicPrefixes('topics-cli');
let admin: Admin;

beforeAll(async () => {
  admin = testKafka('nilecare-topics-cli-test').admin();
  await admin.connect();
});

afterAll(async () => {
  await prefixes.deleteAll(admin);
  await admin.disconnect();
});

/** A localhost port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('nilecare hub topics apply', () => {
  it('creates the twelve topics, prints a table, and exits 0; run again it reports all in sync', async () => {
    const prefix = prefixes.next();
    const first = await runNilecare([
      'hub',
      'topics',
      'apply',
      '--profile',
      'dev',
      '--brokers',
      brokers(),
      '--prefix',
      prefix,
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^profile dev · 1 broker · deploy\/kafka\/topics\.json$/m);
    expect(first.stdout).toMatch(
      new RegExp(`^${prefix.replace(/\./g, '\\.')}dead-letter-events\\s+created\\s`, 'm'),
    );
    expect(first.stdout).toContain('12 topics: 12 created');

    const second = await runNilecare([
      'hub',
      'topics',
      'apply',
      '--profile',
      'dev',
      '--brokers',
      brokers(),
      '--prefix',
      prefix,
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('12 topics: 12 in sync');
  });

  it('with --dry-run shows what it would create, creates nothing, and exits 2', async () => {
    const prefix = prefixes.next();
    const result = await runNilecare([
      'hub',
      'topics',
      'apply',
      '--dry-run',
      '--profile',
      'dev',
      '--brokers',
      brokers(),
      '--prefix',
      prefix,
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('12 would create');
    expect((await admin.listTopics()).filter((name) => name.startsWith(prefix))).toEqual([]);
  });

  it('with --profile deploy on one broker exits 3 with HUB_ERR_TOPICS_DRIFT: replication factor 3 cannot be met', async () => {
    const prefix = prefixes.next();
    const result = await runNilecare([
      'hub',
      'topics',
      'apply',
      '--profile',
      'deploy',
      '--brokers',
      brokers(),
      '--prefix',
      prefix,
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('not created: replication factor 3 needs 3 brokers, the cluster has 1');
    expect(result.stderr).toMatch(/^HUB_ERR_TOPICS_DRIFT: 12 topic\(s\) differ from the file/);
    expect(result.stderr).toContain('docs/errors.md#hub_err_topics_drift');
  });

  it('exits 1 with HUB_ERR_BROKERS_UNREACHABLE, within seconds, when no broker answers', async () => {
    const started = Date.now();
    const result = await runNilecare([
      'hub',
      'topics',
      'apply',
      '--profile',
      'dev',
      '--brokers',
      `127.0.0.1:${await closedPort()}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^HUB_ERR_BROKERS_UNREACHABLE: No Kafka broker answered at 127\.0\.0\.1:\d+/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('exits 1 with HUB_ERR_TOPICS_PROFILE_UNKNOWN for a profile the file lacks, before contacting Kafka', async () => {
    const result = await runNilecare([
      'hub',
      'topics',
      'apply',
      '--profile',
      'prod',
      '--brokers',
      '127.0.0.1:1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HUB_ERR_TOPICS_PROFILE_UNKNOWN: Profile "prod"');
  });

  it('exits 1 with HUB_ERR_TOPICS_PROFILE_MISSING when no profile is given, creating nothing', async () => {
    const prefix = prefixes.next();
    const result = await runNilecare(['hub', 'topics', 'apply', '--brokers', brokers(), '--prefix', prefix]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^HUB_ERR_TOPICS_PROFILE_MISSING: No profile given: pass --profile \(dev or deploy\)/m,
    );
    expect(result.stderr).toContain('docs/errors.md#hub_err_topics_profile_missing');
    expect(result.stdout).toBe('');
    expect((await admin.listTopics()).filter((name) => name.startsWith(prefix))).toEqual([]);
  });

  it('takes the profile from NILECARE_HUB_TOPICS_PROFILE, and the flag over it', async () => {
    const prefix = prefixes.next();
    const withProfileVariable = (args: string[]) =>
      promisify(execFile)(process.execPath, [nilecareCli, 'hub', 'topics', 'apply', ...args], {
        env: { ...process.env, NILECARE_HUB_TOPICS_PROFILE: 'dev', NILECARE_LOG_LEVEL: 'warn' },
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const fromVariable = await withProfileVariable(['--brokers', brokers(), '--prefix', prefix]);
    expect(fromVariable.code).toBe(0);
    expect(fromVariable.stdout).toMatch(/^profile dev · 1 broker/m);
    const flagWins = await withProfileVariable([
      '--profile',
      'deploy',
      '--dry-run',
      '--brokers',
      brokers(),
      '--prefix',
      prefix,
    ]);
    expect(flagWins.stdout).toMatch(/^profile deploy · 1 broker/m);
  });
});
