import { SerialPort } from 'serialport';
import { type DecodedSubmit, decodeSubmitPdu, encodeStatusReport } from '../../drivers/gsm/smsPdu.ts';

export interface ReceivedSms {
  phone: string;
  text: string;
  references: number[];
}

export interface ModemBehaviour {
  /** Wait before the "> " prompt, in ms (a slow modem). */
  promptDelayMs: number;
  /** Answer the next AT+CMGS messages with +CMS ERROR: <code>, one code per message. */
  cmsErrors: number[];
  /** Answer nothing at all (a hung modem). */
  hold: boolean;
  /** After +CMGS, send a +CDS delivery report for it. */
  deliveryReports: boolean;
  /** Go silent (hold) once this many messages were accepted. */
  holdAfterMessages?: number;
}

/**
 * A modem at the far end of a socat pseudo-terminal, speaking AT as a
 * SIM800/SIM7600 does: echo until ATE0, OK to set-up commands, AT+CMGS with
 * a "> " prompt, the PDU ended by Ctrl-Z (ESC cancels), +CMGS: <mr> or
 * +CMS ERROR: <n>, and +CDS status reports when asked. It decodes each PDU
 * and joins concatenated parts, so a test sees what a phone would show.
 */
export async function startModemPeer(path: string, behaviour: Partial<ModemBehaviour> = {}) {
  const state: ModemBehaviour = {
    promptDelayMs: 0,
    cmsErrors: [],
    hold: false,
    deliveryReports: false,
    ...behaviour,
  };
  const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const commands: string[] = [];
  const received: ReceivedSms[] = [];
  const parts = new Map<string, { decoded: DecodedSubmit; mr: number }[]>();
  let echo = true;
  let buffer = '';
  let pduMode = false;
  let nextMr = 1;
  const write = (text: string) => port.write(text);

  function deliver(decoded: DecodedSubmit, mr: number) {
    if (!decoded.part) {
      received.push({ phone: decoded.phone, text: decoded.text, references: [mr] });
      return;
    }
    const key = `${decoded.phone}#${decoded.part.reference}`;
    const got = [...(parts.get(key) ?? []), { decoded, mr }];
    parts.set(key, got);
    if (got.length === decoded.part.total) {
      got.sort((a, b) => a.decoded.part!.sequence - b.decoded.part!.sequence);
      received.push({
        phone: decoded.phone,
        text: got.map((p) => p.decoded.text).join(''),
        references: got.map((p) => p.mr),
      });
      parts.delete(key);
    }
  }

  function onPdu(hex: string) {
    const code = state.cmsErrors.shift();
    if (code !== undefined) {
      write(`\r\n+CMS ERROR: ${code}\r\n`);
      return;
    }
    const decoded = decodeSubmitPdu(hex);
    const mr = nextMr;
    nextMr = (nextMr + 1) % 256;
    write(`\r\n+CMGS: ${mr}\r\n\r\nOK\r\n`);
    deliver(decoded, mr);
    if (state.holdAfterMessages !== undefined && received.length >= state.holdAfterMessages)
      state.hold = true;
    if (state.deliveryReports && decoded.statusReport)
      setTimeout(() => write(`\r\n+CDS: 25\r\n${encodeStatusReport(mr, decoded.phone, 0)}\r\n`), 20);
  }

  function onCommand(line: string) {
    commands.push(line);
    if (echo) write(`${line}\r\n`);
    if (line === 'ATE0') echo = false;
    const cmgs = /^AT\+CMGS=(\d+)$/.exec(line);
    if (cmgs) {
      setTimeout(() => {
        pduMode = true;
        write('\r\n> ');
      }, state.promptDelayMs);
      return;
    }
    write('\r\nOK\r\n');
  }

  port.on('data', (chunk: Buffer) => {
    if (state.hold) return;
    buffer += chunk.toString('latin1');
    for (;;) {
      if (pduMode) {
        const cancel = buffer.indexOf('\x1b');
        const end = buffer.indexOf('\x1a');
        if (cancel !== -1 && (end === -1 || cancel < end)) {
          pduMode = false;
          buffer = buffer.slice(cancel + 1);
          continue;
        }
        if (end === -1) return;
        const hex = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        pduMode = false;
        onPdu(hex);
        continue;
      }
      const end = buffer.indexOf('\r');
      if (end === -1) return;
      // ESC outside a message is ignored, as by a real modem.
      const line = buffer.slice(0, end).split('\x1b').join('').trim();
      buffer = buffer.slice(end + 1);
      if (line !== '') onCommand(line);
    }
  });

  return {
    behaviour: state,
    commands,
    received,
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

export type ModemPeer = Awaited<ReturnType<typeof startModemPeer>>;
