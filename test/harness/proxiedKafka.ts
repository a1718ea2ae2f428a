import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTcpRelay, type TcpRelay } from './tcpRelay.ts';
import { tempDataDir } from './tempDataDir.ts';
import { waitFor } from './waitFor.ts';

const run = promisify(execFile);
const devDir = fileURLToPath(new URL('../../deploy/dev/', import.meta.url));

/**
 * A Kafka broker of its own for a test file, reached only through a TCP relay
 * the test controls: the broker listens on one port and *advertises the
 * relay's port*, so every connection kafkajs opens (bootstrap, then the
 * partition leaders that metadata names) goes through the relay. Cutting the
 * relay's connections cuts the gateway's link to Kafka mid-batch, and the
 * broker can be stopped and started again, without touching the shared test
 * broker other files use. Same jars as deploy/dev/kafka.sh (its cache).
 */
export interface ProxiedKafka<Relay extends TcpRelay = TcpRelay> {
  /** What clients are given: the relay. */
  brokers: string[];
  relay: Relay;
  /** Stops the broker process (SIGTERM, as an operator would) and waits for it to exit. */
  stopBroker(): Promise<void>;
  /** Starts it again on the same ports and data. */
  startBroker(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function brokerJars(): Promise<string> {
  await run('bash', [join(devDir, 'kafka.sh'), 'fetch'], { timeout: 240_000 });
  const pom = readFileSync(join(devDir, 'kafka-pom.xml'), 'utf8');
  const version = /<kafka\.version>(.+)<\/kafka\.version>/.exec(pom)?.[1];
  const cache = process.env.NILECARE_CACHE ?? join(homedir(), '.cache', 'nilecare');
  return join(cache, `kafka-${version}`, 'libs', '*');
}

/** A KRaft cluster id (16 random bytes, base64url); never starting with '-', which the storage tool reads as an option. */
const clusterId = (): string => {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
};

/**
 * `startRelay` puts a relay of the caller's own between clients and the broker
 * (prove/link/faultyLink.ts stalls and slows the link too); the default is
 * test/harness/tcpRelay.ts.
 */
export function startProxiedKafka(): Promise<ProxiedKafka>;
export function startProxiedKafka<Relay extends TcpRelay>(
  startRelay: (brokerPort: number, relayPort: number) => Promise<Relay>,
): Promise<ProxiedKafka<Relay>>;
export async function startProxiedKafka(
  startRelay: (brokerPort: number, relayPort: number) => Promise<TcpRelay> = (brokerPort, relayPort) =>
    startTcpRelay(brokerPort, { listenPort: relayPort }),
): Promise<ProxiedKafka> {
  const dir = tempDataDir('nilecare-proxied-kafka-');
  const classpath = await brokerJars();
  const [brokerPort, controllerPort, relayPort] = [await freePort(), await freePort(), await freePort()];
  const properties = join(dir.path, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      // The point of this broker: clients are told to connect to the relay.
      `advertised.listeners=PLAINTEXT://127.0.0.1:${relayPort}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${join(dir.path, 'logs')}`,
      'num.partitions=3',
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'compression.type=producer',
      '',
    ].join('\n'),
  );
  const java = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath];
  await run('java', [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', properties], {
    timeout: 120_000,
  });
  mkdirSync(dir.path, { recursive: true });

  let broker: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;
  const logOf = (n: number) => join(dir.path, `kafka-${n}.log`);

  async function startBroker(): Promise<void> {
    starts += 1;
    const log = logOf(starts);
    const out = openSync(log, 'w');
    const child = spawn('java', [...java, 'kafka.Kafka', properties], { stdio: ['ignore', out, out] });
    closeSync(out);
    broker = child;
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    await waitFor(
      'the proxied Kafka broker to start',
      () => {
        if (gone) throw new Error(`the broker exited:\n${readFileSync(log, 'utf8').slice(-3000)}`);
        return readFileSync(log, 'utf8').includes('Kafka Server started');
      },
      { timeoutMs: 90_000, intervalMs: 100 },
    );
  }

  async function stopBroker(): Promise<void> {
    if (!broker || broker.exitCode !== null) return;
    broker.kill('SIGTERM');
    const killer = setTimeout(() => broker?.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(killer);
  }

  const relay = await startRelay(brokerPort, relayPort);
  try {
    await startBroker();
  } catch (error) {
    await relay.close();
    dir.remove();
    throw error;
  }
  return {
    brokers: [`127.0.0.1:${relayPort}`],
    relay,
    stopBroker,
    startBroker,
    async close() {
      await relay.close();
      await stopBroker();
      dir.remove();
    },
  };
}
