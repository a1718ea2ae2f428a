/**
 * `npm run dev:hub`: the whole central side on one machine, for development
 * and demos: a Kafka broker (deploy/dev/kafka.sh, data/dev-kafka, port 9092),
 * PostgreSQL (embedded, data/dev-postgres), the platform design's topics
 * (`nilecare hub topics apply --profile dev`), and the hub services. Ctrl+C
 * stops all of it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { isHubError } from '../errors.ts';
import { hubLogger } from '../hubLogger.ts';
import { hubOptionsFromEnvironment, resolveHubOptions } from '../hubOptions.ts';
import { hubBanner, runHubUntilStopped } from '../runHub.ts';
import { applyTopics } from '../topicAdmin/applyTopics.ts';
import { loadTopicsFile } from '../topicAdmin/topicsFile.ts';
import { type LocalPostgres, startLocalPostgres } from './localPostgres.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const kafkaScript = resolve(root, 'deploy', 'dev', 'kafka.sh');
const kafkaDir = resolve(root, 'data', 'dev-kafka');
const postgresDir = resolve(root, 'data', 'dev-postgres');
const devDefaults = {
  kafkaPort: 9092, // TCP port: what a gateway's NILECARE_KAFKA_BROKERS points at
  postgresPort: Number(process.env.NILECARE_DEV_POSTGRES_PORT ?? 5433), // TCP port: beside a system PostgreSQL on 5432
  database: 'nilecare_hub',
};

const say = (line: string) => process.stderr.write(`${line}\n`);

async function startKafka(): Promise<string> {
  say(`Starting Kafka (deploy/dev/kafka.sh start data/dev-kafka ${devDefaults.kafkaPort}) ...`);
  const { stdout } = await run('bash', [kafkaScript, 'start', kafkaDir, String(devDefaults.kafkaPort)], {
    timeout: 240_000,
  });
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(stdout)?.[1];
  if (!brokers) throw new Error(`deploy/dev/kafka.sh printed no KAFKA_BROKERS line:\n${stdout}`);
  return brokers;
}

async function stopKafka(): Promise<void> {
  await run('bash', [kafkaScript, 'stop', kafkaDir], { timeout: 60_000 }).catch(() => undefined);
}

async function startPostgres(): Promise<{ postgres: LocalPostgres; databaseUrl: string }> {
  // As root, the server runs as `postgres`: it must be able to enter data/dev-postgres.
  mkdirSync(postgresDir, { recursive: true, mode: 0o755 });
  const postgres = await startLocalPostgres({
    dataDir: resolve(postgresDir, 'data'),
    port: devDefaults.postgresPort,
  });
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [devDefaults.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${devDefaults.database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgres.url);
  url.pathname = `/${devDefaults.database}`;
  return { postgres, databaseUrl: url.toString() };
}

async function createTopics(brokers: string): Promise<string> {
  const admin = new Kafka({
    clientId: 'nilecare-dev-hub',
    brokers: brokers.split(','),
    logLevel: logLevel.ERROR,
  }).admin();
  await admin.connect();
  try {
    const result = await applyTopics(admin, 'dev', { file: loadTopicsFile() });
    if (result.failures.length > 0)
      throw new Error(
        `Kafka refused: ${result.failures.map((failure) => `${failure.topic}: ${failure.reason}`).join('; ')}`,
      );
    return `${result.planned.length} topics (${result.planned.filter((plan) => plan.actions.length > 0).length} created or changed)`;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const brokers = await startKafka();
    stops.push(stopKafka);
    say(`Starting PostgreSQL (data/dev-postgres, port ${devDefaults.postgresPort}) ...`);
    const { postgres, databaseUrl } = await startPostgres();
    stops.push(() => postgres.stop());
    const topics = await createTopics(brokers);
    const options = resolveHubOptions(hubOptionsFromEnvironment(process.env), {
      kafkaBrokers: brokers.split(','),
      databaseUrl,
    });
    const hub = await runHubUntilStopped(options, hubLogger(options.logLevel), stopAll);
    say(
      [
        '',
        '  NileCare hub (development)',
        `  Kafka:      ${brokers}   data/dev-kafka   ${topics}`,
        `  PostgreSQL: ${databaseUrl}   data/dev-postgres (${postgres.binaries.from} binaries)`,
        hubBanner(hub, options),
        '',
        '  Point a gateway at it (another terminal):',
        `    NILECARE_KAFKA_BROKERS=${brokers} npm start`,
        '',
        '  Stop everything with Ctrl+C.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    await stopAll();
    if (isHubError(error))
      say(`${error.code}: ${error.message}\nSee docs/errors.md#${error.code.toLowerCase()}`);
    else say(`dev:hub did not start: ${(error as Error).message}`);
    process.exit(1);
  }
}

await main();
