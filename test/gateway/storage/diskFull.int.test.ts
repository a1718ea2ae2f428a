import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../../gateway/eventStore/verifyChain.ts';
import { reusableBytes } from '../../../sync/retention.ts';
import { createSyncStore } from '../../../sync/syncStore.ts';
import { runNilecare } from '../../harness/gatewayProcess.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { vitalsPayload } from '../../harness/vitalsReadings.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { newPatient } from '../../harness/injectedGateway.ts';
import { signInOverHttp } from '../../harness/sessions.ts';

const MiB = 1024 * 1024;
let mountPoint: string;
let gateway: TestGateway | undefined;

/**
 * A real, small file system for the data folder: a 48 MiB tmpfs. Mounting
 * needs root (CI and the development container run as root); without it the
 * test fails saying so, it does not skip.
 */
beforeAll(() => {
  mountPoint = mkdtempSync(join(tmpdir(), 'nilecare-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `this test mounts a 48 MiB tmpfs and needs root (mount -t tmpfs): ${(error as Error).message}`,
    );
  }
});
afterAll(() => {
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  rmSync(join(mountPoint, 'data'), { recursive: true, force: true });
  rmSync(join(mountPoint, 'filler'), { force: true });
});

const freeBytes = () => {
  const stats = statfsSync(mountPoint);
  return stats.bavail * stats.bsize;
};
/** Fills the tmpfs with a real file until `leftFree` bytes remain. */
function fillUntil(leftFree: number): void {
  const fill = freeBytes() - leftFree;
  if (fill <= 0) throw new Error(`only ${freeBytes()} bytes free, wanted ${leftFree} left`);
  writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(fill, 1), { flag: 'a' });
}

async function smallDiskGateway(extra: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const dataDir = join(mountPoint, 'data');
  mkdirSync(dataDir);
  gateway = await startTestGateway({
    dataDir,
    storageLowWaterBytes: 20 * MiB,
    storageCriticalBytes: 10 * MiB,
    storageRecoverMarginBytes: 1 * MiB,
    storageCheckEveryMs: 100,
    ...extra,
  });
  nurseHeaders = (await signInOverHttp(gateway, 'nurse')).headers;
  return gateway;
}

/** A nurse's session on the gateway under test. */
let nurseHeaders: { cookie: string };

const api = (path: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${gateway!.httpPort}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
const health = async () =>
  (await (await api('/health')).json()) as { status: string; storage: Record<string, unknown> };
const storageState = (state: string) =>
  waitFor(`storage state ${state}`, async () =>
    (await health()).storage.state === state ? true : undefined,
  );

/** Publishes at QoS 1 and says whether a PUBACK came, or the gateway closed the connection instead. */
function publishOutcome(client: MqttClient, topic: string, payload: string): Promise<'puback' | 'closed'> {
  return new Promise((resolve) => {
    client.once('close', () => resolve('closed'));
    client.publish(topic, payload, { qos: 1 }, (error) => {
      if (!error) resolve('puback');
    });
  });
}

const deviceKeyStored = (deviceKey: string) =>
  gateway!.services.db.prepare('SELECT seq FROM events WHERE device_key = ?').get(deviceKey) !== undefined;

describe('when the disk fills (guarantee 3)', () => {
  it('refuses telemetry over real MQTT, still takes critical readings, acknowledgements and clinician actions, and takes everything again when space returns', async () => {
    await smallDiskGateway();
    expect((await health()).storage).toMatchObject({ state: 'ok', refusing: [] });
    expect(
      (
        await api('/api/v1/patients', {
          method: 'POST',
          headers: nurseHeaders,
          body: JSON.stringify(newPatient('p-1')),
        })
      ).status,
    ).toBe(201);
    const password = await gateway!.addDevice('monitor-1', { patientId: 'p-1', bed: 'A1' });
    const topic = gateway!.vitalsTopic('monitor-1');
    let device = await gateway!.connectDevice('monitor-1', password);
    expect(await publishOutcome(device, topic, vitalsPayload(1))).toBe('puback');

    // Low: a normal reading is refused, no PUBACK; the log does not move.
    fillUntil(15 * MiB);
    await storageState('low');
    expect((await health()).storage).toMatchObject({
      state: 'low',
      lowWaterBytes: 20 * MiB,
      criticalBytes: 10 * MiB,
      refusing: ['telemetry'],
      freeBytes: expect.any(Number),
    });
    const headBefore = gateway!.services.log.head.seq;
    expect(await publishOutcome(device, topic, vitalsPayload(2))).toBe('closed');
    expect(deviceKeyStored('monitor-1/vitals#2')).toBe(false);

    // A reading with SpO2 85 % raises an alert: it is taken, with its alert.
    device = await gateway!.connectDevice('monitor-1', password);
    expect(await publishOutcome(device, topic, vitalsPayload(3, { spo2: { value: 85, unit: '%' } }))).toBe(
      'puback',
    );
    expect(deviceKeyStored('monitor-1/vitals#3')).toBe(true);
    const alerts = (
      (await (await api('/api/v1/alerts', { headers: nurseHeaders })).json()) as {
        alerts: { alertId: string }[];
      }
    ).alerts;
    expect(alerts).toHaveLength(1);

    // Over HTTP every request is a signed-in person's action (sessions): a nurse's reading is taken.
    const byNurse = await api('/api/v1/patients/p-1/vitals', {
      method: 'POST',
      headers: nurseHeaders,
      body: JSON.stringify({ heartRate: 80 }),
    });
    expect(byNurse.status).toBe(201);

    // Critical: the acknowledgement of the alert is still taken; a normal reading is not.
    fillUntil(5 * MiB);
    await storageState('critical');
    expect((await health()).storage.refusing).toEqual(['telemetry', 'clinical', 'audit']);
    const acknowledged = await api(`/api/v1/alerts/${alerts[0]!.alertId}/acknowledge`, {
      method: 'POST',
      headers: nurseHeaders,
      body: JSON.stringify({ note: 'oxygen started' }),
    });
    expect(acknowledged.status).toBe(200);
    device = await gateway!.connectDevice('monitor-1', password);
    // Heart rate alone: it neither raises an alert nor resolves the open SpO2 one.
    const heartRate = { heartRate: { value: 80, unit: '/min' } };
    expect(await publishOutcome(device, topic, vitalsPayload(4, heartRate))).toBe('closed');
    expect(deviceKeyStored('monitor-1/vitals#4')).toBe(false);

    const metrics = await scrapeMetrics(gateway!.httpPort);
    expect(metricValue(metrics, 'nilecare_storage_state')).toBe(2);
    expect(metricValue(metrics, 'nilecare_storage_free_bytes')).toBeLessThan(10 * MiB);
    expect(
      metricValue(metrics, 'nilecare_storage_refused_inputs_total', { lane: 'telemetry', channel: 'mqtt' }),
    ).toBeGreaterThanOrEqual(2);
    // Nothing over HTTP was refused: every request there is a signed-in person's action.
    expect(
      metricValue(metrics, 'nilecare_storage_refused_inputs_total', { lane: 'telemetry', channel: 'http' }),
    ).toBe(0);

    // Nothing stored was lost or damaged, and the gateway still runs.
    const types = gateway!.services.log
      .readFrom(headBefore + 1, 100)
      .map((event) => event.eventType)
      .filter((type) => type !== 'device_connected' && type !== 'device_disconnected');
    expect(types).toEqual([
      'vital_signs_recorded',
      'critical_value_detected',
      'vital_signs_recorded',
      'alert_acknowledged',
    ]);
    expect(verifyChain(gateway!.services.db)).toMatchObject({
      ok: true,
      events: gateway!.services.log.count(),
    });
    expect((await health()).status).toBe('ok');

    // Space comes back: all input is taken again.
    rmSync(join(mountPoint, 'filler'));
    await storageState('ok');
    device = await gateway!.connectDevice('monitor-1', password);
    expect(await publishOutcome(device, topic, vitalsPayload(5))).toBe('puback');
    expect(deviceKeyStored('monitor-1/vitals#5')).toBe(true);

    // And the operator's own check agrees once the gateway has stopped.
    await gateway!.close();
    const verified = await runNilecare(['verify', '--data-dir', join(mountPoint, 'data')]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('chain ok');
  });

  it('frees room by pruning only what the hub acknowledged, and takes telemetry again', async () => {
    await smallDiskGateway({ storageRecoverMarginBytes: 64 * 1024 });
    const { services } = gateway!;
    expect(
      (
        await api('/api/v1/patients', {
          method: 'POST',
          headers: nurseHeaders,
          body: JSON.stringify(newPatient('p-1')),
        })
      ).status,
    ).toBe(201);
    const password = await gateway!.addDevice('monitor-1', { patientId: 'p-1' });
    const device = await gateway!.connectDevice('monitor-1', password);
    const topic = gateway!.vitalsTopic('monitor-1');
    for (let seq = 1; seq <= 3000; seq += 1)
      device.publish(topic, vitalsPayload(seq, { heartRate: { value: 60 + (seq % 30), unit: '/min' } }), {
        qos: 1,
      });
    await waitFor('3000 readings stored', () => deviceKeyStored('monitor-1/vitals#3000'), {
      timeoutMs: 60_000,
    });
    // The hub acknowledged everything up to the 2000th event; the rest has not reached it.
    const acknowledgedThrough = 2000;
    const store = createSyncStore(services.db);
    const at = new Date().toISOString();
    for (const lane of ['alert', 'clinical', 'telemetry', 'audit'] as const)
      store.markDelivered(lane, acknowledgedThrough, { lastSuccessAt: at });
    const head = services.log.head.seq;

    // Just under the low-water mark, counting the pages SQLite already has free.
    fillUntil(20 * MiB - reusableBytes(services.db) - 32 * 1024);
    await services.storage.refresh();
    const anchor = await waitFor('pruning', () => {
      const row = services.db.prepare('SELECT seq FROM chain_anchor').get() as { seq: number };
      return row.seq > 0 ? row : undefined;
    });
    await storageState('ok');
    expect(anchor.seq).toBeLessThanOrEqual(acknowledgedThrough);
    const oldest = services.db.prepare('SELECT MIN(seq) AS seq FROM events').get() as { seq: number };
    expect(oldest.seq).toBe(anchor.seq + 1);
    expect(services.log.count()).toBe(head - anchor.seq); // every unacknowledged event is still there
    expect(verifyChain(services.db)).toMatchObject({ ok: true, prunedThroughSeq: anchor.seq });
    expect(await publishOutcome(device, topic, vitalsPayload(3001))).toBe('puback');
  });
});
