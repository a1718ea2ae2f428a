import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GsmModem, openGsmModem } from '../../../drivers/gsm/gsmModem.ts';
import type { GsmSettings } from '../../../drivers/gsm/gsmSettings.ts';
import { encodeSubmitPdus } from '../../../drivers/gsm/smsPdu.ts';
import { waitFor } from '../../harness/waitFor.ts';
import { type ModemPeer, startModemPeer } from '../../harness/modemPeer.ts';
import { type PtyPair, socatPtyPair } from '../../harness/socatPty.ts';

let pty: PtyPair;
let peer: ModemPeer;
let modem: GsmModem | undefined;
const reports: string[] = [];

const settings = (overrides: Partial<GsmSettings> = {}): GsmSettings => ({
  modemPath: pty.gatewayPath,
  baudRate: 115_200,
  recipients: [],
  deliveryReports: true,
  commandTimeoutMs: 1000,
  promptTimeoutMs: 1000,
  sendTimeoutMs: 1000,
  maxAttempts: 3,
  retryBaseMs: 100,
  utcOffsetMinutes: 0,
  ...overrides,
});

beforeEach(async () => {
  pty = await socatPtyPair();
  peer = await startModemPeer(pty.peerPath);
  reports.length = 0;
});

afterEach(async () => {
  await modem?.close();
  modem = undefined;
  await peer.close();
  await pty.close();
});

describe('the AT layer over a real pseudo-terminal', () => {
  it('sets the modem up for PDU mode despite its echo, and sends a multipart Arabic SMS', async () => {
    modem = await openGsmModem(settings(), (pdu) => reports.push(pdu));
    expect(peer.commands).toEqual(['AT', 'ATE0', 'AT+CMEE=1', 'AT+CMGF=0', 'AT+CNMI=2,1,0,1,0']);
    const text = `مرحبا ${'س'.repeat(100)}`;
    const references = await modem.sendSms('+249912000001', text, 9);
    expect(references).toEqual([1, 2]);
    expect(peer.received).toEqual([{ phone: '+249912000001', text, references: [1, 2] }]);
    const lengths = encodeSubmitPdus('+249912000001', text, { reference: 9, statusReport: true }).map(
      (p) => p.tpduLength,
    );
    expect(peer.commands.slice(5)).toEqual(lengths.map((length) => `AT+CMGS=${length}`));
  });

  it('waits for a slow "> " prompt within its timeout', async () => {
    peer.behaviour.promptDelayMs = 600;
    modem = await openGsmModem(settings(), () => undefined);
    await expect(modem.sendSms('+249912000001', 'slow', 1)).resolves.toEqual([1]);
  });

  it('gives up on a prompt that never comes with GW_ERR_GSM_TIMEOUT, and nothing is sent', async () => {
    peer.behaviour.promptDelayMs = 3000;
    modem = await openGsmModem(settings({ promptTimeoutMs: 300 }), () => undefined);
    await expect(modem.sendSms('+249912000001', 'never', 1)).rejects.toMatchObject({
      code: 'GW_ERR_GSM_TIMEOUT',
      message: expect.stringContaining('the "> " prompt'),
    });
    expect(peer.received).toEqual([]);
  });

  it('turns +CMS ERROR into GW_ERR_GSM_SEND_FAILED with the code, and the next SMS still goes', async () => {
    peer.behaviour.cmsErrors.push(330);
    modem = await openGsmModem(settings(), () => undefined);
    await expect(modem.sendSms('+249912000001', 'first', 1)).rejects.toMatchObject({
      code: 'GW_ERR_GSM_SEND_FAILED',
      details: { cmsError: 330 },
      message: expect.stringContaining('SMSC address unknown'),
    });
    await expect(modem.sendSms('+249912000001', 'second', 2)).resolves.toEqual([1]);
  });

  it('hands +CDS delivery reports that arrive between commands to the listener', async () => {
    peer.behaviour.deliveryReports = true;
    modem = await openGsmModem(settings(), (pdu) => reports.push(pdu));
    await modem.sendSms('+249912000001', 'report me', 3);
    await waitFor('a +CDS report', () => reports.length === 1);
  });

  it('refuses to start on a modem that answers nothing, naming the command', async () => {
    peer.behaviour.hold = true;
    await expect(openGsmModem(settings({ commandTimeoutMs: 200 }), () => undefined)).rejects.toMatchObject({
      code: 'GW_ERR_GSM_TIMEOUT',
      message: 'GSM modem did not answer AT within 200 ms',
    });
  });
});
