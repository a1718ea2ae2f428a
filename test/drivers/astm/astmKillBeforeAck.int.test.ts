import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { astmCapture, framesOf, playAnalyzer, send } from '../../harness/astmAnalyzer.ts';
import { openEventLogReader } from '../../harness/eventLogReader.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { createPtyPair, type DeviceEnd, openDeviceEnd, type PtyPair } from '../../harness/ptyPair.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { waitFor } from '../../harness/waitFor.ts';

// docs/architecture.md#guarantee-1 for an analyzer: the gateway is killed with SIGKILL
// after it received the frame that completes a message and before it
// acknowledged it. The test holds SQLite's write lock from its own connection
// so the gateway cannot commit: the kill lands in that window every time, with
// nothing in the gateway's code to help it. The analyzer, having no ACK,
// sends the message again to the restarted gateway, and the result is stored
// exactly once, also when the message comes a third time.

const dir = tempDataDir('nilecare-astm-kill-');
let pair: PtyPair | undefined;
let device: DeviceEnd | undefined;
let running: GatewayProcess | undefined;

afterAll(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  await device?.close();
  await pair?.close();
  dir.remove();
});

function resultsInLog(): { deviceKey: string | null }[] {
  const reader = openEventLogReader(dir.path);
  try {
    return reader.ofType('lab_result_available');
  } finally {
    reader.close();
  }
}

async function startAndWaitForPort(connectedBefore: number): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess(dir.path);
  await waitFor(
    'the gateway to open the analyzer port',
    () => {
      const reader = openEventLogReader(dir.path);
      try {
        return reader.ofType('device_connected').length > connectedBefore;
      } finally {
        reader.close();
      }
    },
    { timeoutMs: 10_000 },
  );
  return gateway;
}

describe('a gateway killed between receiving the last frame and acknowledging it', () => {
  it('gets the message again from the analyzer and stores its result exactly once', {
    timeout: 120_000,
  }, async () => {
    pair = await createPtyPair();
    const created = await runNilecare(['devices', 'list', '--data-dir', dir.path]);
    expect(created.code, created.stderr).toBe(0);
    writeFileSync(
      join(dir.path, 'drivers.json'),
      JSON.stringify({
        serialPorts: [
          { path: pair.gatewayPath, protocol: 'astm', deviceId: 'cobas-c111', utcOffset: '+02:00' },
        ],
      }),
    );
    device = await openDeviceEnd(pair.devicePath);
    running = await startAndWaitForPort(0);

    const frames = framesOf(astmCapture('cobas_c111.txt'));
    const last = frames.at(-1)!;
    const first = await playAnalyzer(device, frames.slice(0, -1), { sendEot: false });
    expect(first.replies).toEqual(frames.slice(0, -1).map(() => 'ACK'));

    const otherWriter = new Database(dataPaths(dir.path).database);
    try {
      otherWriter.exec('BEGIN IMMEDIATE');
      const repliesBefore = device.received().length;
      await device.write(last);
      const gateway = running;
      await waitFor('the gateway to log that the message arrived', () =>
        gateway.recentOutput().includes('astm_message_received'),
      );
      gateway.child.kill('SIGKILL');
      await gateway.exited;
      // No ACK can come: the commit cannot happen. (On a starved machine the gateway's 5 s busy
      // timeout may run out before the kill; it then answers NAK, which is also no acknowledgement.)
      const answers = [...device.received().subarray(repliesBefore)];
      expect(answers.includes(0x06), `no ACK may come before the commit (got ${answers})`).toBe(false);
    } finally {
      otherWriter.exec('ROLLBACK');
      otherWriter.close();
    }
    expect(resultsInLog()).toHaveLength(0);

    // The analyzer's reply timeout (E1381: 15 s) runs out: it ends with EOT and starts over later.
    await device.write(Buffer.from([0x04]));
    running = await startAndWaitForPort(1);
    const again = await playAnalyzer(device, frames);
    expect(again.replies).toEqual(frames.map(() => 'ACK'));
    const stored = resultsInLog();
    expect(stored).toHaveLength(1);
    // Patient (none in the P record) | specimen | whole test id | R.2 and place | the analyzer's time.
    expect(stored[0]!.deviceKey).toBe('cobas-c111/astm#|T20 10134GA D28|^^^413|1.0|2023-08-03T11:17:00.000Z');

    // Its ACK lost on the way, the analyzer sends the message a third time: still one result.
    const third = await playAnalyzer(device, frames);
    expect(third.replies).toEqual(frames.map(() => 'ACK'));
    expect(resultsInLog()).toHaveLength(1);
    expect(await send(device, Buffer.from([0x04]), 100)).toBe('none');
  });
});
