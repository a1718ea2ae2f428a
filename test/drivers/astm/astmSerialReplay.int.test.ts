import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftFor } from '../../../gateway/http/draftFor.ts';
import { encodeFrame } from '../../../drivers/astm/astmFrame.ts';
import { astmCapture, framesOf, playAnalyzer } from '../../harness/astmAnalyzer.ts';
import { openEventLogReader } from '../../harness/eventLogReader.ts';
import { createPtyPair, type DeviceEnd, openDeviceEnd, type PtyPair } from '../../harness/ptyPair.ts';
import { whileLogCannotCommit } from '../../harness/logWriteLock.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// Real analyzer captures replayed byte for byte through a real pseudo-terminal
// pair made by socat, the test playing the analyzer's side of ASTM E1381.

const captures = [
  { file: 'abbott_afinion2.txt', results: 1, frames: 1 },
  { file: 'cobas_c111.txt', results: 1, frames: 7 },
  { file: 'cobas_c311.txt', results: 7, frames: 1 },
  { file: 'pentra_xlr.txt', results: 21, frames: 28 },
  { file: 'sysmex_xn550.txt', results: 41, frames: 1 },
  { file: 'sysmex_xp100.txt', results: 20, frames: 1 },
];

let gateway: TestGateway;
let pair: PtyPair;
let device: DeviceEnd;
const configDir = tempDataDir('nilecare-drivers-');

beforeAll(async () => {
  pair = await createPtyPair();
  mkdirSync(configDir.path, { recursive: true });
  const driversFile = join(configDir.path, 'drivers.json');
  writeFileSync(
    driversFile,
    JSON.stringify({
      serialPorts: [
        {
          path: pair.gatewayPath,
          protocol: 'astm',
          deviceId: 'analyzer-1',
          baudRate: 9600,
          utcOffset: '+02:00',
          specimenType: 'whole_blood',
        },
      ],
    }),
  );
  device = await openDeviceEnd(pair.devicePath);
  gateway = await startTestGateway({ driversFile });
  // The Sysmex XN-550 capture carries patient id 37182 (P.5): a patient registered with that MRN.
  await gateway.services.recorder.record({
    channel: 'internal',
    origin: 'test',
    draft: {
      ...draftFor(
        gateway.services,
        'patient_registered',
        { firstName: 'Test', lastName: 'Patient', sex: 'male', registeredAt: new Date().toISOString() },
        { patientId: 'p-37182' },
      ),
      patientMRN: '37182',
    },
  });
  await waitFor(
    'the analyzer port to open',
    () => gateway.drivers && openEventLogReader(gateway.dataDir).ofType('device_connected').length > 0,
  );
});

afterAll(async () => {
  await device?.close();
  await gateway?.stop();
  await pair?.close();
  configDir.remove();
});

describe('ASTM analyzers on a serial port', () => {
  for (const capture of captures) {
    it(`stores every result of ${capture.file}, each frame acknowledged`, async () => {
      const reader = openEventLogReader(gateway.dataDir);
      try {
        const before = reader.headSeq();
        const frames = framesOf(astmCapture(capture.file));
        expect(Buffer.concat(frames).equals(astmCapture(capture.file))).toBe(true);
        expect(frames).toHaveLength(capture.frames);
        const replay = await playAnalyzer(device, frames);
        expect(replay.enqReply).toBe('ACK');
        expect(replay.replies).toEqual(frames.map(() => 'ACK'));
        const results = reader.ofType('lab_result_available', before);
        expect(results).toHaveLength(capture.results);
        for (const result of results) expect(result.data.deviceId).toBe('analyzer-1');
      } finally {
        reader.close();
      }
    });
  }

  it('files the Sysmex XN-550 results under the patient whose MRN the P record carries', async () => {
    const reader = openEventLogReader(gateway.dataDir);
    try {
      const hgb = reader
        .ofType('lab_result_available')
        .find(
          (event) => event.data.testCode === 'HGB' && (event.data.analyzer as string)?.includes('XN-550'),
        );
      expect(hgb?.patientId).toBe('p-37182');
      expect(hgb?.data).toMatchObject({
        value: 8,
        unit: 'g/dL',
        flags: ['N'],
        resultStatus: 'final',
        specimen: { specimenId: '27', type: 'whole_blood' },
        observedAt: '2024-06-27T11:54:07.000Z',
      });
      const pentra = reader.ofType('lab_result_available').find((event) => event.data.analyzer === 'ABX');
      // No patient id in the Pentra's P record: filed under the facility, never dropped.
      expect(pentra?.patientId).toBeUndefined();
      expect(pentra?.data.specimen).toMatchObject({ specimenId: 'S1234' });
    } finally {
      reader.close();
    }
  });

  it('NAKs a frame with a bad checksum and accepts its retransmission', async () => {
    const reader = openEventLogReader(gateway.dataDir);
    try {
      const before = reader.headSeq();
      const quarantined = reader.quarantineHead();
      const [good] = framesOf(astmCapture('abbott_afinion2.txt'));
      const bad = Buffer.from(good!);
      bad[bad.length - 2] = bad[bad.length - 2] === 0x30 ? 0x31 : 0x30; // one checksum digit wrong
      const first = await playAnalyzer(device, [bad], { retries: 1 });
      expect(first.replies).toEqual(['NAK']);
      const second = await playAnalyzer(device, [good!]);
      expect(second.replies).toEqual(['ACK']);
      expect(reader.quarantinedAfter(quarantined).map((row) => row.reasonCode)).toEqual([
        'GW_ERR_ASTM_FRAME_INVALID',
      ]);
      // Stored before (previous test's Afinion replay): the same result again is recognised and stored once.
      expect(reader.ofType('lab_result_available', before)).toHaveLength(0);
    } finally {
      reader.close();
    }
  });

  for (const file of ['mini_vidas.txt', 'mini_vidas_mock.txt']) {
    it(`refuses ${file} (not ASTM) with a clear error and stores no result`, async () => {
      const reader = openEventLogReader(gateway.dataDir);
      try {
        const before = reader.headSeq();
        const quarantined = reader.quarantineHead();
        await playAnalyzer(device, framesOf(astmCapture(file)), { retries: 1 });
        const rows = await waitFor('the refusal to be quarantined', () => {
          const found = reader.quarantinedAfter(quarantined);
          return found.length > 0 && found;
        });
        expect(rows[0]!.reasonCode).toMatch(/^GW_ERR_ASTM_(FRAME|MESSAGE)_INVALID$/);
        expect(rows[0]!.reason).toMatch(file === 'mini_vidas.txt' ? /ETB or ETX/ : /delimiter twice/);
        expect(reader.ofType('lab_result_available', before)).toHaveLength(0);
      } finally {
        reader.close();
      }
    });
  }

  it('NAKs the last frame when its results cannot be committed, and stores them when it comes again', async () => {
    const reader = openEventLogReader(gateway.dataDir);
    try {
      const before = reader.headSeq();
      const text = [
        'H|\\^&',
        'O|1|LOCKED-1',
        'R|1|^^^NA|139|mmol/L||N||F||||20261126090000',
        'L|1|N',
        '',
      ].join('\r');
      const frames = [encodeFrame({ frameNumber: 1, text, final: true })];
      const refused = await whileLogCannotCommit(gateway, () => playAnalyzer(device, frames, { retries: 1 }));
      expect(refused.replies).toEqual(['NAK']);
      expect(reader.ofType('lab_result_available', before)).toHaveLength(0);
      const accepted = await playAnalyzer(device, frames);
      expect(accepted.replies).toEqual(['ACK']);
      expect(reader.ofType('lab_result_available', before).map((event) => event.data.testCode)).toEqual([
        'NA',
      ]);
    } finally {
      reader.close();
    }
  });

  it('registers the analyzer in the device registry like an MQTT device', () => {
    expect(gateway.services.registry.get('analyzer-1')).toMatchObject({
      deviceId: 'analyzer-1',
      kind: 'lab-analyzer',
    });
  });
});
