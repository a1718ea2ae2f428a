import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../drivers/astm/astmFrame.ts';
import {
  type AnalyzerLine,
  astmCapture,
  connectTcpAnalyzer,
  framesOf,
  frameWithoutChecksum,
  playAnalyzer,
  renumberFrames,
  restartingFrameNumbers,
  send,
} from '../../harness/astmAnalyzer.ts';
import { type EventLogReader, openEventLogReader } from '../../harness/eventLogReader.ts';
import { metricValue, scrapeMetrics } from '../../harness/prometheusText.ts';
import { tempDataDir } from '../../harness/tempDataDir.ts';
import { startTestGateway, type TestGateway } from '../../harness/testGateway.ts';
import { waitFor } from '../../harness/waitFor.ts';

// The per-listener link options of docs/devices.md#link-options, over real TCP
// connections: analyzers that send no checksum, and one that restarts its
// frame numbers mid-message, each against a strict listener and a tolerant one.

const ENQ = Buffer.from([0x05]);
const EOT = Buffer.from([0x04]);
const NAK = 0x15;

let gateway: TestGateway;
let reader: EventLogReader;
const configDir = tempDataDir('nilecare-astm-link-');
const listeners = [
  { deviceId: 'chem-strict' },
  { deviceId: 'chem-no-checksum', checksum: 'none' },
  { deviceId: 'haem-strict' },
  { deviceId: 'haem-lenient', frameNumbers: 'lenient' },
];

beforeAll(async () => {
  const driversFile = join(configDir.path, 'drivers.json');
  writeFileSync(
    driversFile,
    JSON.stringify({
      tcpListeners: listeners.map((options) => ({
        protocol: 'astm',
        host: '127.0.0.1',
        port: 0,
        utcOffset: '+02:00',
        ...options,
      })),
    }),
  );
  gateway = await startTestGateway({ driversFile });
  reader = openEventLogReader(gateway.dataDir);
});

afterAll(async () => {
  reader?.close();
  await gateway?.stop();
  configDir.remove();
});

async function analyzerOn(deviceId: string) {
  return connectTcpAnalyzer(gateway.drivers!.tcpPorts[deviceId]!);
}

/** Sends bytes and measures how long the gateway took to answer ACK or NAK. */
async function timed(line: AnalyzerLine, bytes: Buffer) {
  const startedAt = Date.now();
  const reply = await send(line, bytes, 5000);
  return { reply, ms: Date.now() - startedAt };
}

const potassium = [
  'H|\\^&|||chem^1',
  'P|1||LAB-NC1',
  'O|1|ACC-NC1||^^^K',
  'R|1|^^^K|4.4|mmol/L|3.5 to 5.1|N||F||||20261126093000',
  'L|1|N',
  '',
].join('\r');

describe('an analyzer that sends frames without a checksum', () => {
  it('is answered NAK at once on a strict listener, the frame quarantined as GW_ERR_ASTM_CHECKSUM_MISSING, and the link stays usable', async () => {
    const before = reader.headSeq();
    const quarantined = reader.quarantineHead();
    const line = await analyzerOn('chem-strict');
    expect(await send(line, ENQ, 5000)).toBe('ACK');
    // Ended by CR LF: answered as soon as the CR arrives.
    const withLineEnd = await timed(
      line,
      frameWithoutChecksum({ frameNumber: 1, text: potassium, final: true }),
    );
    expect(withLineEnd.reply).toBe('NAK');
    // Ended by ETX and then silence: answered once the line stays quiet, long before the sender's 15 s.
    const bare = await timed(
      line,
      frameWithoutChecksum({ frameNumber: 1, text: potassium, final: true }, ''),
    );
    expect(bare.reply).toBe('NAK');
    expect(bare.ms).toBeLessThan(3000);
    // Its EOT and next ENQ are read as such: a new transmission is acknowledged.
    await line.write(EOT);
    expect(await send(line, ENQ, 5000)).toBe('ACK');
    await line.write(EOT);
    line.close();
    const rows = await waitFor('the refusals to be quarantined', () => {
      const found = reader.quarantinedAfter(quarantined);
      return found.length >= 2 && found;
    });
    expect(
      rows.map(({ channel, origin, reasonCode, reason }) => ({ channel, origin, reasonCode, reason })),
    ).toEqual(
      [1, 2].map(() => ({
        channel: 'tcp',
        origin: 'chem-strict',
        reasonCode: 'GW_ERR_ASTM_CHECKSUM_MISSING',
        reason: 'no checksum after ETX (this port requires one: checksum "required")',
      })),
    );
    expect(reader.ofType('lab_result_available', before)).toEqual([]);
  });

  it('is acknowledged on a listener with checksum "none", and its results are stored', async () => {
    const before = reader.headSeq();
    const quarantined = reader.quarantineHead();
    const line = await analyzerOn('chem-no-checksum');
    const records = potassium.split('\r').filter(Boolean);
    const frames = records.map((record, index) =>
      frameWithoutChecksum(
        { frameNumber: index + 1, text: `${record}\r`, final: index === records.length - 1 },
        // Some frames ended CR LF, the last one by silence.
        index === records.length - 1 ? '' : '\r\n',
      ),
    );
    const replay = await playAnalyzer(line, frames, { retries: 1 });
    line.close();
    expect(replay).toEqual({ enqReply: 'ACK', replies: frames.map(() => 'ACK') });
    const [result] = reader.ofType('lab_result_available', before);
    expect(result?.data).toMatchObject({ testCode: 'K', value: 4.4, deviceId: 'chem-no-checksum' });
    expect(reader.quarantinedAfter(quarantined)).toEqual([]);
  });

  it('still has a wrong checksum refused on a listener with checksum "none"', async () => {
    const quarantined = reader.quarantineHead();
    const line = await analyzerOn('chem-no-checksum');
    const bad = encodeFrame({ frameNumber: 1, text: potassium, final: true });
    bad[bad.length - 3] = bad[bad.length - 3] === 0x30 ? 0x31 : 0x30;
    expect(await playAnalyzer(line, [bad], { retries: 1 })).toEqual({ enqReply: 'ACK', replies: ['NAK'] });
    line.close();
    const rows = await waitFor('the refusal to be quarantined', () => {
      const found = reader.quarantinedAfter(quarantined);
      return found.length > 0 && found;
    });
    expect(rows[0]).toMatchObject({ reasonCode: 'GW_ERR_ASTM_FRAME_INVALID', channel: 'tcp' });
  });
});

describe('a haematology analyzer that restarts its frame numbers mid-message (1-5, then 1, 1, 1, 4, 5 ...)', () => {
  const pentra = framesOf(astmCapture('pentra_xlr.txt'));
  const restarting = renumberFrames(pentra, restartingFrameNumbers(pentra.length));

  it('is NAKed six times at its first restarted frame on a strict listener, and the frames after it are not stored', async () => {
    const before = reader.headSeq();
    const quarantined = reader.quarantineHead();
    const line = await analyzerOn('haem-strict');
    const replay = await playAnalyzer(line, restarting, { retries: 6 });
    line.close();
    expect(replay.replies).toEqual(['ACK', 'ACK', 'ACK', 'ACK', 'ACK', 'NAK']);
    expect(line.received().filter((byte) => byte === NAK)).toHaveLength(6);
    const rows = await waitFor('the six refusals to be quarantined', () => {
      const found = reader.quarantinedAfter(quarantined);
      return found.length >= 6 && found;
    });
    expect(new Set(rows.map(({ reasonCode, reason }) => `${reasonCode}: ${reason}`))).toEqual(
      new Set(['GW_ERR_ASTM_FRAME_INVALID: frame number 1 where 6 was expected']),
    );
    // Only the one result whose frame came before the restart (WBC, frame 4) is stored.
    const stored = await waitFor('the records before the restart to be delivered', () => {
      const found = reader.ofType('lab_result_available', before);
      return found.length > 0 && found;
    });
    expect(stored.map((event) => event.data.testCode)).toEqual(['WBC']);
  });

  it('has all 21 results stored on a lenient listener, each relaxation counted', async () => {
    const before = reader.headSeq();
    const quarantined = reader.quarantineHead();
    const line = await analyzerOn('haem-lenient');
    const replay = await playAnalyzer(line, restarting, { retries: 1 });
    line.close();
    expect(replay.replies).toEqual(restarting.map(() => 'ACK'));
    expect(reader.ofType('lab_result_available', before)).toHaveLength(21);
    expect(reader.quarantinedAfter(quarantined)).toEqual([]);
    const metrics = await scrapeMetrics(gateway.httpPort);
    expect(metricValue(metrics, 'nilecare_astm_frame_number_relaxed_total', { device: 'haem-lenient' })).toBe(
      4,
    );
    expect(metricValue(metrics, 'nilecare_astm_frame_number_relaxed_total', { device: 'haem-strict' })).toBe(
      0,
    );
  });
});
