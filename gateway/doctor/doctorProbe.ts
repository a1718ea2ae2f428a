import { execFileSync } from 'node:child_process';
import { existsSync, statfsSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { GatewayOptions } from '../config/gatewayOptions.ts';
import { verifyChain } from '../eventStore/verifyChain.ts';
import { dataPaths } from '../openGatewayStore.ts';
import { loadProvisionedConfig, provisionedPaths } from '../provisioning/gatewayConfig.ts';
import { summarizeCertificate } from '../provisioning/localCertificates.ts';
import { kekSourceFromEnvironment, keyringOf } from '../provisioning/provisionedStore.ts';
import { runningGatewayPid } from '../runtime/pidFile.ts';
import { loadOrCreatePhiKeyring } from '../../kernel/phi/phiKeyring.ts';
import {
  type CheckResult,
  certificateCheck,
  chainCheck,
  clockCheck,
  devicesCheck,
  diskCheck,
  hubCheck,
  keysCheck,
  type PortState,
  portsCheck,
} from './doctorChecks.ts';

/**
 * Measures what `nilecare doctor` judges, on the data folder and this machine,
 * without changing anything (the database is opened read-only), and returns
 * each check's verdict. Works beside a running gateway and without one.
 */
export async function runDoctor(
  options: GatewayOptions,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<CheckResult[]> {
  const paths = dataPaths(options.dataDir);
  const provisioned = loadProvisionedConfig(options.dataDir);
  const results: CheckResult[] = [];

  const disk = statfsSync(existsSync(options.dataDir) ? options.dataDir : '.');
  const databaseBytes = ['', '-wal'].reduce(
    (sum, suffix) =>
      sum + (existsSync(`${paths.database}${suffix}`) ? statSync(`${paths.database}${suffix}`).size : 0),
    0,
  );
  results.push(diskCheck(disk.bavail * disk.bsize, disk.blocks * disk.bsize, databaseBytes));

  const db = existsSync(paths.database) ? new Database(paths.database, { readonly: true }) : undefined;
  try {
    const last = db?.prepare<[], { body: string }>('SELECT body FROM events ORDER BY seq DESC LIMIT 1').get();
    const lastRecordedAt = last
      ? new Date((JSON.parse(last.body) as { recordedAt: string }).recordedAt)
      : undefined;
    results.push(clockCheck(now, lastRecordedAt, ntpSynchronized()));

    const pid = runningGatewayPid(options.dataDir);
    const wanted: { port: number; what: string }[] = [
      { port: options.httpPort, what: 'HTTP' },
      { port: options.mqttPort, what: 'MQTT' },
      ...(provisioned
        ? [
            { port: options.httpsPort ?? provisioned.tls.httpsPort, what: 'HTTPS' },
            { port: options.mqttsPort ?? provisioned.tls.mqttsPort, what: 'MQTT over TLS' },
          ]
        : []),
    ].filter((entry) => entry.port > 0);
    const ports: PortState[] = [];
    for (const entry of wanted) {
      const free = await portFree(entry.port, options.httpHost);
      ports.push({ ...entry, state: free ? 'free' : pid !== undefined ? 'ours' : 'taken' });
    }
    results.push(portsCheck(ports));

    const devices = db ? deviceRows(db) : [];
    results.push(devicesCheck(devices, now));

    const brokers =
      options.kafkaBrokers.length > 0 ? options.kafkaBrokers : (provisioned?.hub?.brokers ?? []);
    results.push(hubCheck(await Promise.all(brokers.map((broker) => reach(broker)))));

    if (db) {
      const verdict = verifyChain(db);
      results.push(
        chainCheck(
          verdict.ok
            ? { ok: true, events: verdict.events }
            : { ok: false, seq: verdict.problem.seq, detail: verdict.problem.detail },
        ),
      );
    } else {
      results.push({
        name: 'chain',
        status: 'ok',
        detail: 'no event log yet (the gateway has not started here)',
      });
    }
  } finally {
    db?.close();
  }

  if (provisioned) {
    const dir = provisionedPaths(options.dataDir).dir;
    results.push(
      certificateCheck(
        [
          {
            what: 'gateway certificate',
            validTo: summarizeCertificate(join(dir, provisioned.tls.cert)).validTo,
          },
          { what: 'local CA', validTo: summarizeCertificate(join(dir, provisioned.tls.ca)).validTo },
        ],
        now,
      ),
    );
    try {
      const keyring = keyringOf(provisioned, kekSourceFromEnvironment(env));
      results.push(
        keysCheck({ ok: true, keys: keyring.keys.size, activeKeyId: keyring.activeKeyId, wrapped: true }),
      );
    } catch (error) {
      results.push(keysCheck({ ok: false, error: (error as Error).message }));
    }
  } else {
    results.push(certificateCheck([], now));
    if (existsSync(paths.phiKeys)) {
      const keyring = loadOrCreatePhiKeyring(paths.phiKeys);
      results.push(
        keysCheck({ ok: true, keys: keyring.keys.size, activeKeyId: keyring.activeKeyId, wrapped: false }),
      );
    } else {
      results.push(
        keysCheck({ ok: false, error: `no PHI key file at ${paths.phiKeys} and not provisioned` }),
      );
    }
  }
  return results;
}

function deviceRows(db: Database.Database) {
  const registered = db
    .prepare<[], { device_id: string; revoked_at: string | null }>(
      'SELECT device_id, revoked_at FROM devices',
    )
    .all();
  const seen = new Map(
    db
      .prepare<[], { doc_id: string; doc: string }>(
        "SELECT doc_id, doc FROM projection_docs WHERE projection = 'devices'",
      )
      .all()
      .map((row) => [row.doc_id, JSON.parse(row.doc) as { lastSeenAt?: string; connected?: boolean }]),
  );
  return registered.map((row) => {
    const doc = seen.get(row.device_id);
    return {
      deviceId: row.device_id,
      revoked: row.revoked_at !== null,
      ...(doc?.lastSeenAt ? { lastSeenAt: doc.lastSeenAt } : {}),
      ...(doc?.connected !== undefined ? { connected: doc.connected } : {}),
    };
  });
}

function ntpSynchronized(): boolean | undefined {
  try {
    const value = execFileSync('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], {
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: 3000,
    }).trim();
    return value === 'yes' ? true : value === 'no' ? false : undefined;
  } catch {
    return undefined;
  }
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function reach(broker: string): Promise<{ broker: string; reachable: boolean; error?: string }> {
  const at = broker.lastIndexOf(':');
  const host = broker.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(broker.slice(at + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    const done = (reachable: boolean, error?: string) => {
      socket.destroy();
      resolve({ broker, reachable, ...(error ? { error } : {}) });
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false, 'no answer within 3 s'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(false, error.code ?? error.message));
  });
}
