import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ScramMechanism = 'SCRAM-SHA-512' | 'SCRAM-SHA-256';

/**
 * Kafka's kafka-configs tool: NILECARE_KAFKA_CONFIGS (the `kafka-configs.sh`
 * of a Kafka installation) or, for development, `deploy/dev/kafka.sh configs`
 * (the same tool from the jars kafka.sh caches). kafkajs has no call for
 * SCRAM credentials (AlterUserScramCredentials), hence the tool.
 */
function configsTool(env: NodeJS.ProcessEnv): { file: string; args: string[] } {
  if (env.NILECARE_KAFKA_CONFIGS) return { file: env.NILECARE_KAFKA_CONFIGS, args: [] };
  return { file: fileURLToPath(new URL('../../deploy/dev/kafka.sh', import.meta.url)), args: ['configs'] };
}

/**
 * SCRAM credentials are `key=value` pairs in a comma list inside brackets:
 * a password holding `,`, `[`, `]` or `=` would be cut, so it is refused.
 */
export function scramPasswordProblem(password: string): string | undefined {
  if (password.length < 12) return 'shorter than 12 characters';
  if (/[,[\]=\s]/.test(password)) return 'contains a comma, bracket, equals sign or white space';
  return undefined;
}

async function configs(brokers: string[], args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const tool = configsTool(env);
  await run(tool.file, [...tool.args, '--bootstrap-server', brokers.join(','), '--alter', ...args], {
    timeout: 120_000,
  });
}

/** Creates or replaces the user's credential (over the hub's admin listener). */
export function upsertScramUser(
  brokers: string[],
  username: string,
  password: string,
  mechanism: ScramMechanism,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const credential = `${mechanism}=[iterations=8192,password=${password}]`;
  return configs(
    brokers,
    ['--add-config', credential, '--entity-type', 'users', '--entity-name', username],
    env,
  );
}

/** Deletes the user's credentials of both mechanisms; a mechanism it does not have is ignored. */
export async function deleteScramUser(
  brokers: string[],
  username: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  for (const mechanism of ['SCRAM-SHA-512', 'SCRAM-SHA-256'] as const) {
    await configs(
      brokers,
      ['--delete-config', mechanism, '--entity-type', 'users', '--entity-name', username],
      env,
    ).catch((error: Error) => {
      // The tool refuses to delete a credential the user never had; that is the goal state.
      if (!/ResourceNotFound|not found|does not exist/i.test(`${error.message}`)) throw error;
    });
  }
}
