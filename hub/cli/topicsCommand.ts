import { relative } from 'node:path';
import { type Command, Option } from 'commander';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { codedErrorText } from '../../kernel/errors/defineErrors.ts';
import { applyTopics } from '../topicAdmin/applyTopics.ts';
import { desiredTopics } from '../topicAdmin/desiredTopics.ts';
import { HubTopicsError, isHubTopicsError } from '../topicAdmin/topicErrors.ts';
import { defaultTopicsFilePath, loadTopicsFile } from '../topicAdmin/topicsFile.ts';
import { renderTopicsReport, verdictOf } from '../topicAdmin/topicsReport.ts';

interface TopicsApplyFlags {
  /** Required (flag or NILECARE_HUB_TOPICS_PROFILE): a default would plan single-copy topics in production. */
  profile?: string;
  brokers: string;
  dryRun?: boolean;
  prefix: string;
  file: string;
}

/** kafkajs errors that mean no broker could be reached (as opposed to a broker refusing something). */
const unreachable = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
]);

async function withAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const where = brokers.join(',') || '(no brokers given)';
  if (brokers.length === 0) throw new HubTopicsError('HUB_ERR_BROKERS_UNREACHABLE', [where, 'empty list']);
  // Quiet client: every failure reaches the operator as one coded error, not as kafkajs log lines.
  const kafka = new Kafka({
    clientId: 'nilecare-hub-topics',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000, // ms
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await work(admin);
  } catch (error) {
    if (!isHubTopicsError(error) && unreachable.has((error as Error).name)) {
      throw new HubTopicsError('HUB_ERR_BROKERS_UNREACHABLE', [where, (error as Error).message]);
    }
    throw error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function printError(error: HubTopicsError): void {
  console.error(codedErrorText(error));
}

/**
 * `nilecare hub topics apply`: exit 0 when the cluster matches the file, 3 when
 * drift remains that needs a person, 2 when a dry run found changes to make,
 * 1 when Kafka refused a change or could not be reached.
 */
export async function topicsApplyCommand(flags: TopicsApplyFlags): Promise<void> {
  try {
    const file = loadTopicsFile(flags.file);
    const profile = flags.profile?.trim();
    if (!profile)
      throw new HubTopicsError('HUB_ERR_TOPICS_PROFILE_MISSING', [Object.keys(file.profiles).join(' or ')]);
    desiredTopics(file, profile, flags.prefix); // a wrong profile or prefix fails before any network
    const brokers = flags.brokers
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean);
    const result = await withAdmin(brokers, (admin) =>
      applyTopics(admin, profile, { file, prefix: flags.prefix, dryRun: flags.dryRun === true }),
    );
    console.log(renderTopicsReport(result, relative(process.cwd(), file.source) || file.source));
    const verdict = verdictOf(result);
    if (verdict.note) console.log(verdict.note);
    if (verdict.error) printError(verdict.error);
    process.exitCode = verdict.exitCode;
  } catch (error) {
    if (!isHubTopicsError(error)) throw error;
    printError(error);
    process.exitCode = 1;
  }
}

/** `nilecare hub topics apply`: creates the platform design's topics from deploy/kafka/topics.json and reports drift. */
export function registerHubTopicCommands(hub: Command): void {
  const topics = hub
    .command('topics')
    .description("the hub's Kafka topics, as deploy/kafka/topics.json says");
  topics
    .command('apply')
    .description('create missing topics, fix configs and partitions; report drift that needs a person')
    .addOption(
      new Option(
        '--profile <profile>',
        'cluster shape from the file: dev (one broker) or deploy (three); required',
      ).env('NILECARE_HUB_TOPICS_PROFILE'),
    )
    .addOption(
      new Option('--brokers <host:port,...>', 'Kafka bootstrap brokers')
        .env('NILECARE_KAFKA_BROKERS')
        .default('127.0.0.1:9092'),
    )
    .option('--dry-run', 'show what would change; change nothing')
    .option('--prefix <prefix>', 'put before every topic name (staging and tests on a shared cluster)', '')
    .option('--file <path>', 'the topics file', defaultTopicsFilePath)
    .action(topicsApplyCommand);
}
