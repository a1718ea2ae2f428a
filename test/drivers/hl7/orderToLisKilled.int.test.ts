import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../../gateway/openGatewayStore.ts';
import { defaultLabTestsFile } from '../../../gateway/labOrders/labTestCatalogue.ts';
import { type GatewayProcess, runNilecare, startGatewayProcess } from '../../harness/gatewayProcess.ts';
import { newPatient } from '../../harness/injectedGateway.ts';
import { freePort } from '../../harness/mllpClient.ts';
import { type MllpReceiver, type ReceiverAnswer, startMllpReceiver } from '../../harness/mllpReceiver.ts';
import { loginOverHttp } from '../../harness/sessions.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { waitFor } from '../../harness/waitFor.ts';

// Nothing lost across a SIGKILL (docs/devices.md#orders-to-a-laboratory-system-hl7):
// a real gateway process places an order for a laboratory system, is killed
// before the laboratory system has accepted it, and sends it after it is
// started again over the same data folder, with the control id of before.

const physician = { username: 'hassan', password: 'Stat potassium before noon' };
let dir: ReturnType<typeof tempDataDir> | undefined;
let running: GatewayProcess | undefined;
let receiver: MllpReceiver | undefined;

afterEach(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  running = undefined;
  await receiver?.close();
  receiver = undefined;
  dir?.remove();
});

/** The data folder: potassium performed by the laboratory system behind HL7 listener lis-main, a physician. */
async function prepare(lisPort: number): Promise<string> {
  dir = tempDataDir('nilecare-hl7-orders-killed-');
  const catalogue = JSON.parse(readFileSync(defaultLabTestsFile, 'utf8')) as {
    tests: { code: string; performer?: string }[];
  };
  for (const test of catalogue.tests) if (test.code === 'K') test.performer = 'lis-main';
  writeFileSync(join(dir.path, 'lab-tests.json'), JSON.stringify(catalogue));
  writeFileSync(
    join(dir.path, 'drivers.json'),
    JSON.stringify({
      tcpListeners: [
        {
          protocol: 'hl7',
          host: '127.0.0.1',
          port: 0,
          deviceId: 'lis-main',
          orderTo: { host: '127.0.0.1', port: lisPort, ackTimeoutMs: 300, retryBaseMs: 200, retryMaxMs: 400 },
        },
      ],
    }),
  );
  const added = await runNilecare(
    [
      'users',
      'add',
      '--data-dir',
      dir.path,
      '--username',
      physician.username,
      '--name',
      'Hassan',
      '--role',
      'physician',
    ],
    { input: `${physician.password}\n` },
  );
  if (added.code !== 0) throw new Error(`nilecare users add answered ${added.code}: ${added.stderr}`);
  return dir.path;
}

async function api(path: string, body: unknown, session: { cookie: string }) {
  const response = await fetch(`http://127.0.0.1:${running!.httpPort}${path}`, {
    method: 'POST',
    headers: { ...session, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

function outboxRows(dataDir: string) {
  const db = new Database(dataPaths(dataDir).database, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT order_id, order_control, control_id, delivered_at FROM hl7_order_outbox')
      .all() as { order_id: string; control_id: string; delivered_at: string | null }[];
  } finally {
    db.close();
  }
}

describe('an order for a laboratory system, the gateway killed before it is accepted', () => {
  it('is sent after the restart and accepted, every try with the same control id', async () => {
    let answer: ReceiverAnswer = 'silent';
    receiver = await startMllpReceiver(await freePort(), () => answer);
    const dataDir = await prepare(receiver.port);
    running = await startGatewayProcess(dataDir);
    const session = await loginOverHttp(
      `http://127.0.0.1:${running.httpPort}`,
      physician.username,
      physician.password,
    );
    await api('/api/v1/patients', newPatient('p-amna'), session);
    const placed = (await api(
      '/api/v1/patients/p-amna/lab-orders',
      { tests: ['K'], priority: 'stat' },
      session,
    )) as {
      orders: { orderId: string }[];
    };
    const orderId = placed.orders[0]!.orderId;

    // The laboratory system received it but has not answered: the gateway dies now.
    await waitFor('the order to reach the laboratory system', () => receiver!.received.length >= 1, {
      timeoutMs: 10_000,
    });
    running.child.kill('SIGKILL');
    await running.exited;
    expect(outboxRows(dataDir)).toEqual([expect.objectContaining({ order_id: orderId, delivered_at: null })]);

    answer = 'AA';
    running = await startGatewayProcess(dataDir);
    await waitFor('the order to be accepted', () => outboxRows(dataDir)[0]?.delivered_at ?? undefined, {
      timeoutMs: 10_000,
    });
    running.child.kill('SIGTERM');
    await running.exited;

    const rows = outboxRows(dataDir);
    expect(rows).toEqual([expect.objectContaining({ order_id: orderId, delivered_at: expect.any(String) })]);
    // The laboratory system may see the order more than once, never under two control ids.
    expect(new Set(receiver.controlIds())).toEqual(new Set([rows[0]!.control_id]));
    const orc = receiver.received
      .at(-1)!
      .text.split('\r')
      .find((segment) => segment.startsWith('ORC|'));
    expect(orc?.split('|').slice(0, 3)).toEqual(['ORC', 'NW', orderId]);
  });
});
