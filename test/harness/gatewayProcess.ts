import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `nilecare` command as installed (cli/nilecare.js), run with this Node. */
export const nilecareCli = fileURLToPath(new URL('../../cli/nilecare.js', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Environment for a child gateway: the caller's, minus NILECARE_* settings that would override the flags. */
function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('NILECARE_')),
  );
  return { ...env, ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one `nilecare ...` command to its end; `input` is written to its stdin (then closed), `env` adds NILECARE_* settings. */
export function runNilecare(
  args: readonly string[],
  { input, env = {} }: { input?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nilecareCli, ...args], {
      cwd: repositoryRoot,
      env: childEnvironment({ NILECARE_LOG_LEVEL: 'warn', ...env }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
  });
}

export interface GatewayProcess {
  child: ChildProcess;
  pid: number;
  httpPort: number;
  mqttPort: number;
  /** HTTPS and MQTT over TLS ports of a provisioned gateway. */
  httpsPort?: number;
  mqttsPort?: number;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  recentOutput(): string;
}

/**
 * Starts `nilecare start` as a child process over `dataDir` on free ports
 * (HTTP and MQTT port 0 unless given; `env` adds NILECARE_* settings such as
 * NILECARE_KAFKA_BROKERS) and resolves once its JSON log line
 * with `event: "gateway_ready"` says which ports it took. Its output is read
 * to the end, so a full pipe never stalls the gateway.
 */
export function startGatewayProcess(
  dataDir: string,
  {
    mqttPort = 0,
    readyTimeoutMs = 20_000,
    env = {},
  }: { mqttPort?: number; readyTimeoutMs?: number; env?: Record<string, string> } = {},
): Promise<GatewayProcess> {
  const args = [
    'start',
    '--data-dir',
    dataDir,
    '--http-port',
    '0',
    '--mqtt-port',
    String(mqttPort),
    '--host',
    '127.0.0.1',
  ];
  const child = spawn(process.execPath, [nilecareCli, ...args], {
    cwd: repositoryRoot,
    env: childEnvironment({ NILECARE_LOG_LEVEL: 'info', ...env }),
  });
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`gateway did not log gateway_ready within ${readyTimeoutMs} ms:\n${recent.join('\n')}`),
      );
    }, readyTimeoutMs);
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        remember(line);
        const entry = parseJsonLine(line);
        if (entry?.event !== 'gateway_ready') continue;
        clearTimeout(timer);
        resolve({
          child,
          pid: child.pid!,
          httpPort: Number(entry.httpPort),
          mqttPort: Number(entry.mqttPort),
          ...(entry.httpsPort !== undefined ? { httpsPort: Number(entry.httpsPort) } : {}),
          ...(entry.mqttsPort !== undefined ? { mqttsPort: Number(entry.mqttsPort) } : {}),
          exited,
          recentOutput: () => recent.join('\n'),
        });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => remember(chunk.toString('utf8').trimEnd()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `gateway exited (code ${code}, signal ${signal}) before gateway_ready:\n${recent.join('\n')}`,
        ),
      );
    });
  });
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
