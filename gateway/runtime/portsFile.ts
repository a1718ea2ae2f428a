import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runningGatewayPid } from './pidFile.ts';

/** The ports a running gateway listens on, as it opened them. */
export interface ListeningPorts {
  httpPort: number;
  mqttPort: number;
  httpsPort?: number;
  mqttsPort?: number;
}

/** `<dataDir>/gateway.ports.json`, beside the pid file: what `devices add` tells a device to connect to. */
export function portsFilePath(dataDir: string): string {
  return join(dataDir, 'gateway.ports.json');
}

/**
 * Written once the gateway listens, so a command run from another shell
 * (`nilecare devices add`, without the service's environment or its
 * `--mqtt-port`) prints the port the broker really has. Returns its remover.
 */
export function writePortsFile(dataDir: string, ports: ListeningPorts): () => void {
  const path = portsFilePath(dataDir);
  writeFileSync(path, `${JSON.stringify(ports)}\n`, { mode: 0o600 });
  return () => rmSync(path, { force: true });
}

/** The ports of the gateway running on this data folder, if one is (a file left by a dead one is ignored). */
export function runningGatewayPorts(dataDir: string): ListeningPorts | undefined {
  if (runningGatewayPid(dataDir) === undefined) return undefined;
  try {
    const ports = JSON.parse(readFileSync(portsFilePath(dataDir), 'utf8')) as ListeningPorts;
    return Number.isInteger(ports.mqttPort) ? ports : undefined;
  } catch {
    return undefined;
  }
}
