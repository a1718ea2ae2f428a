import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);
const script = new URL('../../deploy/dev/kafka.sh', import.meta.url).pathname;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap brokers of the test Kafka ("host:port,..."). */
    kafkaBrokers: string;
  }
}

/**
 * One real Kafka broker for the whole test run: the brokers in KAFKA_BROKERS
 * when set, otherwise a single KRaft broker started from Apache Kafka's jars
 * by deploy/dev/kafka.sh in a fresh folder, stopped at the end. A failure to
 * start fails the run with the broker's own words; nothing is skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.KAFKA_BROKERS;
  if (given) {
    project.provide('kafkaBrokers', given);
    return async () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nilecare-kafka-'));
  try {
    const { stdout } = await run('bash', [script, 'start', dir], { timeout: 240_000 });
    const brokers = /KAFKA_BROKERS=(\S+)/.exec(stdout)?.[1];
    if (!brokers) throw new Error(`deploy/dev/kafka.sh printed no KAFKA_BROKERS line:\n${stdout}`);
    project.provide('kafkaBrokers', brokers);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `The test Kafka did not start (deploy/dev/kafka.sh start): ${(error as Error).message}\nInstall Java 17 and Maven, or set KAFKA_BROKERS to a running broker.`,
    );
  }
  return async () => {
    await run('bash', [script, 'stop', dir], { timeout: 60_000 }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
}
