import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { codedErrorText } from '../../kernel/errors/defineErrors.ts';
import { HubError, isHubError } from '../errors.ts';
import { gatewayAclPlan, gatewayAclRevokeFilter } from '../security/gatewayAcls.ts';
import {
  deleteScramUser,
  type ScramMechanism,
  scramPasswordProblem,
  upsertScramUser,
} from '../security/scramUsers.ts';

interface GatewayAccessFlags {
  brokers: string;
  user?: string;
  passwordFile?: string;
  mechanism: string;
  topicPrefix: string;
}

function brokersOf(flags: GatewayAccessFlags): string[] {
  return flags.brokers
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/** An admin on the hub's admin listener (PLAINTEXT inside the hub; a super user). */
async function withAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const kafka = new Kafka({
    clientId: 'nilecare-hub-gateways',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000, // ms
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect().catch((error: Error) => {
      throw new HubError('HUB_ERR_KAFKA_UNREACHABLE', [brokers.join(','), error.message]);
    });
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function fail(error: unknown): void {
  if (!isHubError(error)) throw error;
  console.error(codedErrorText(error));
  process.exitCode = 1;
}

/**
 * `nilecare hub gateways enrol <gatewayId>`: the gateway's SCRAM user (the
 * credential `nilecare provision --hub-user --hub-password-file` gives the
 * gateway) and ACLs letting it write only its own event types' topics.
 */
async function enrolCommand(gatewayId: string, flags: GatewayAccessFlags): Promise<void> {
  const username = flags.user ?? gatewayId;
  const brokers = brokersOf(flags);
  try {
    const mechanism = flags.mechanism.toUpperCase() as ScramMechanism;
    let password: string;
    try {
      password = readFileSync(flags.passwordFile ?? '', 'utf8').trim();
    } catch (error) {
      throw new HubError('HUB_ERR_GATEWAY_ENROL_FAILED', [
        gatewayId,
        `password file: ${(error as Error).message}`,
      ]);
    }
    const problem = scramPasswordProblem(password);
    if (problem) throw new HubError('HUB_ERR_GATEWAY_ENROL_FAILED', [gatewayId, `password ${problem}`]);
    const acls = gatewayAclPlan(username, flags.topicPrefix, gatewayId);
    await withAdmin(brokers, async (admin) => {
      await upsertScramUser(brokers, username, password, mechanism, process.env).catch((error: Error) => {
        throw new HubError('HUB_ERR_GATEWAY_ENROL_FAILED', [gatewayId, firstLine(error.message)]);
      });
      await admin.createAcls({ acl: acls }).catch((error: Error) => {
        throw new HubError('HUB_ERR_GATEWAY_ENROL_FAILED', [gatewayId, error.message]);
      });
    });
    const topics = [...new Set(acls.map((acl) => acl.resourceName))];
    console.log(`enrolled gateway ${gatewayId} as Kafka user ${username} (${mechanism})`);
    console.log(`may write (WRITE, DESCRIBE): ${topics.join(', ')}`);
  } catch (error) {
    fail(error);
  }
}

/** `nilecare hub gateways revoke <gatewayId>`: deletes its SCRAM credentials and every ACL of its principal. */
async function revokeCommand(gatewayId: string, flags: GatewayAccessFlags): Promise<void> {
  const username = flags.user ?? gatewayId;
  const brokers = brokersOf(flags);
  try {
    const deleted = await withAdmin(brokers, async (admin) => {
      await deleteScramUser(brokers, username, process.env).catch((error: Error) => {
        throw new HubError('HUB_ERR_GATEWAY_ENROL_FAILED', [gatewayId, firstLine(error.message)]);
      });
      const result = await admin.deleteAcls({ filters: [gatewayAclRevokeFilter(username)] });
      return result.filterResponses.reduce((sum, response) => sum + response.matchingAcls.length, 0);
    });
    console.log(`revoked gateway ${gatewayId}: Kafka user ${username} deleted, ${deleted} ACL(s) removed`);
  } catch (error) {
    fail(error);
  }
}

/** kafka-configs prints a stack trace; its first lines carry Kafka's reason. */
function firstLine(message: string): string {
  return (
    message
      .split('\n')
      .find((line) => /Exception:|Error:/.test(line))
      ?.trim() ?? message.split('\n')[0]!
  );
}

export function registerHubGatewayCommands(hub: Command): void {
  const gateways = hub.command('gateways').description("gateways' access to the hub's Kafka (SASL_SSL)");
  const brokers = () =>
    new Option('--brokers <host:port,...>', "the hub's admin (PLAINTEXT) listener")
      .env('NILECARE_KAFKA_BROKERS')
      .default('127.0.0.1:9092');
  const user = () => new Option('--user <name>', 'Kafka user name (default: the gateway id)');
  gateways
    .command('enrol <gatewayId>')
    .description("create the gateway's SCRAM user and ACLs: write only its own event types' topics")
    .addOption(brokers())
    .addOption(user())
    .requiredOption('--password-file <path>', 'file holding the password given to `nilecare provision`')
    .addOption(
      new Option('--mechanism <m>', 'SCRAM mechanism')
        .choices(['scram-sha-512', 'scram-sha-256'])
        .default('scram-sha-512'),
    )
    .addOption(
      new Option('--topic-prefix <prefix>', 'prefix of every topic name')
        .env('NILECARE_HUB_TOPIC_PREFIX')
        .default(''),
    )
    .action(enrolCommand);
  gateways
    .command('revoke <gatewayId>')
    .description("delete the gateway's SCRAM user and every ACL of its principal")
    .addOption(brokers())
    .addOption(user())
    .action(revokeCommand);
}
