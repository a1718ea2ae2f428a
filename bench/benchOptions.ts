/**
 * The options of `npm run bench:ingest`, one object with units, each settable
 * by a flag (`--messages=200000`) or an environment variable
 * (`NILECARE_BENCH_MESSAGES=200000`); flags win. Validated once, here.
 */
export interface BenchOptions {
  /** Phases to run, comma-separated: ingest, latency, storage. */
  phases: readonly Phase[];
  /** MQTT publishers (devices) in the ingest and latency runs. */
  publishers: number;
  /** QoS 1 messages measured in each ingest run (gateway and plain aedes), in total over all publishers. */
  messages: number;
  /** QoS 1 messages each publisher sends before measuring (JIT and connection warm-up), per publisher. */
  warmupPerPublisher: number;
  /** Messages each publisher keeps in flight (sent, not yet PUBACKed). */
  window: number;
  /** Readings per second over all publishers in the latency run. */
  latencyRate: number;
  /** Length of the latency run, in seconds. */
  latencySeconds: number;
  /** Every n-th reading of a device is critical (SpO2 85 %); the next one (SpO2 97 %) resolves its episode. */
  criticalEvery: number;
  /** Events stored before RSS and disk use are measured. */
  storageEvents: number;
  /** Readings recorded concurrently per burst while filling the log. */
  storageBurst: number;
}

export type Phase = 'ingest' | 'latency' | 'storage';

export const defaultBenchOptions: BenchOptions = {
  phases: ['ingest', 'latency', 'storage'],
  publishers: 50,
  messages: 100_000, // messages
  warmupPerPublisher: 40, // messages
  window: 16, // messages in flight per publisher
  latencyRate: 1000, // readings/s
  latencySeconds: 20, // s
  criticalEvery: 10, // readings
  storageEvents: 1_000_000, // events
  storageBurst: 2000, // readings per burst (the group commit's largest batch)
};

const phaseNames = new Set<Phase>(['ingest', 'latency', 'storage']);

function toKebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function toEnv(name: string): string {
  return `NILECARE_BENCH_${toKebab(name).replace(/-/g, '_').toUpperCase()}`;
}

/** Defaults, then environment, then flags; an invalid value names the option and what was received. */
export function resolveBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map(
    argv
      .filter((arg) => arg.startsWith('--'))
      .map((arg) => {
        const [name, ...value] = arg.slice(2).split('=');
        return [name!, value.join('=')] as const;
      }),
  );
  const options: Record<string, unknown> = { ...defaultBenchOptions };
  for (const name of Object.keys(defaultBenchOptions)) {
    const text = flags.get(toKebab(name)) ?? env[toEnv(name)];
    if (text === undefined) continue;
    options[name] = name === 'phases' ? parsePhases(text) : parseCount(name, text);
    flags.delete(toKebab(name));
  }
  const unknown = [...flags.keys()];
  if (unknown.length > 0)
    throw new Error(
      `bench option --${unknown[0]} is not known (known: ${Object.keys(defaultBenchOptions).map(toKebab).join(', ')})`,
    );
  return options as unknown as BenchOptions;
}

function parseCount(name: string, text: string): number {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`bench option ${toKebab(name)} must be a positive integer, received "${text}"`);
  return value;
}

function parsePhases(text: string): Phase[] {
  const phases = text.split(',').map((phase) => phase.trim());
  const wrong = phases.find((phase) => !phaseNames.has(phase as Phase));
  if (wrong !== undefined)
    throw new Error(`bench option phases: "${wrong}" is not one of ingest, latency, storage`);
  return phases as Phase[];
}
