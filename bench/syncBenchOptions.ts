/**
 * The options of `npm run bench:sync`, each settable by a flag
 * (`--events=200000`) or an environment variable (`NILECARE_BENCH_SYNC_EVENTS=200000`);
 * flags win. Kafka: KAFKA_BROKERS when set, else a broker started by
 * deploy/dev/kafka.sh for the run.
 */
export interface SyncBenchOptions {
  /** Readings in the backlog each side drains. */
  events: number;
  /** Events per send, the same for the engine and the raw loop. */
  batchEvents: number;
  /** Partitions per topic (the hub's 16). */
  partitions: number;
  /** An alert is appended this often while the engine drains, in milliseconds. */
  alertEveryMs: number;
}

export const defaultSyncBenchOptions: SyncBenchOptions = {
  events: 1_000_000, // events
  batchEvents: 500, // events per send
  partitions: 16,
  alertEveryMs: 250, // ms
};

export function resolveSyncBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): SyncBenchOptions {
  const options = { ...defaultSyncBenchOptions };
  for (const name of Object.keys(options) as (keyof SyncBenchOptions)[]) {
    const flag = `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}=`;
    const variable = `NILECARE_BENCH_SYNC_${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
    const text = argv.find((arg) => arg.startsWith(flag))?.slice(flag.length) ?? env[variable];
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(
        `bench:sync option ${name} (${flag}…, ${variable}) must be a whole number > 0, received "${text}"`,
      );
    options[name] = value;
  }
  return options;
}
