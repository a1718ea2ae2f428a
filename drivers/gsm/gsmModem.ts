import { SerialPort } from 'serialport';
import { AtSession } from './atSession.ts';
import type { GsmSettings } from './gsmSettings.ts';
import { encodeSubmitPdus } from './smsPdu.ts';
import { GatewayError } from '../../gateway/pluginApi.ts';

export interface GsmModem {
  /** Sends one SMS (all its parts); resolves with each part's message reference. */
  sendSms(phone: string, text: string, reference: number): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * Opens the modem's serial port and sets it up for PDU-mode SMS: ESC
 * (cancel any half-written message), AT (answering at all), ATE0 (no echo), AT+CMEE=1 (numeric errors),
 * AT+CMGF=0 (PDU mode) and, for delivery reports, AT+CNMI=2,1,0,1,0
 * (TS 27.005 section 3.4.1: status reports routed to the terminal as +CDS).
 */
export async function openGsmModem(
  settings: GsmSettings,
  onStatusReport: (pduHex: string) => void,
): Promise<GsmModem> {
  const port = new SerialPort({
    path: settings.modemPath,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits ?? 8,
    parity: settings.parity ?? 'none',
    stopBits: settings.stopBits ?? 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) =>
    port.open((error) =>
      error ? reject(new GatewayError('GW_ERR_GSM_MODEM', [settings.modemPath, error.message])) : resolve(),
    ),
  );
  const session = new AtSession(port, settings.modemPath, (name, _line, pdu) => {
    if (name === '+CDS' && pdu) onStatusReport(pdu);
  });
  const close = () =>
    new Promise<void>((resolve) => {
      session.detach();
      if (!port.isOpen) resolve();
      else port.close(() => resolve());
    });
  try {
    // A modem left waiting for a PDU by a gateway that stopped mid-send would read our
    // commands as message text: ESC cancels that input first (TS 27.005 section 3.5.1).
    port.write('\x1b');
    await session.command('AT', settings.commandTimeoutMs);
    await session.command('ATE0', settings.commandTimeoutMs);
    await session.command('AT+CMEE=1', settings.commandTimeoutMs);
    await session.command('AT+CMGF=0', settings.commandTimeoutMs);
    if (settings.deliveryReports) await session.command('AT+CNMI=2,1,0,1,0', settings.commandTimeoutMs);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    async sendSms(phone, text, reference) {
      const references: number[] = [];
      for (const pdu of encodeSubmitPdus(phone, text, { reference, statusReport: settings.deliveryReports }))
        references.push(
          await session.sendPdu(pdu.hex, pdu.tpduLength, settings.promptTimeoutMs, settings.sendTimeoutMs),
        );
      return references;
    },
    close,
  };
}
