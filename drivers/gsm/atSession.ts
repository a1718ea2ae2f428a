import { type AtLine, classifyAtLine, cmsMeaning } from './atResponses.ts';
import { GatewayError } from '../../gateway/pluginApi.ts';

/** The byte stream to the modem: a serialport SerialPort, or anything that writes and emits 'data'. */
export interface ModemLink {
  write(data: string | Buffer, callback?: (error: Error | null | undefined) => void): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

interface Pending {
  command: string;
  info: string[];
  wantsPrompt: boolean;
  onPrompt?: () => void;
  settle: (
    outcome: { ok: true; info: string[] } | { ok: false; line: Extract<AtLine, { kind: 'error' }> },
  ) => void;
}

const CTRL_Z = '\x1a';
const ESC = '\x1b';

/**
 * One command at a time over the modem link (TS 27.007 section 5: a command
 * line ends with CR; the answer is information lines then one final result
 * code). AT+CMGS waits for the "> " prompt before the PDU is written and
 * ended with Ctrl-Z. Lines that answer no command (unsolicited result codes
 * such as +CDS delivery reports) go to `onUnsolicited`.
 */
export class AtSession {
  private text = '';
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private awaitingPduOf: string | undefined;
  private readonly listener = (chunk: Buffer) => this.receive(chunk.toString('latin1'));

  constructor(
    private readonly link: ModemLink,
    private readonly portName: string,
    private readonly onUnsolicited: (name: string, line: string, pdu?: string) => void = () => undefined,
  ) {
    link.on('data', this.listener);
  }

  detach(): void {
    this.link.removeListener('data', this.listener);
    this.pending?.settle({ ok: false, line: { kind: 'error', family: 'plain', text: 'link closed' } });
  }

  /** Sends one command and resolves with its information lines on OK. */
  command(command: string, timeoutMs: number): Promise<string[]> {
    return this.serialized(() => this.run(command, timeoutMs, undefined));
  }

  /**
   * AT+CMGS in PDU mode: resolves with the message reference from "+CMGS: <mr>".
   * The prompt and the result each have their own timeout (a slow network
   * answers +CMGS long after the prompt).
   */
  sendPdu(
    pduHex: string,
    tpduLength: number,
    promptTimeoutMs: number,
    resultTimeoutMs: number,
  ): Promise<number> {
    return this.serialized(async () => {
      const info = await this.run(`AT+CMGS=${tpduLength}`, promptTimeoutMs, {
        payload: `${pduHex}${CTRL_Z}`,
        resultTimeoutMs,
      });
      const reference = info.map((line) => /^\+CMGS:\s*(\d+)/.exec(line)).find(Boolean)?.[1];
      if (reference === undefined)
        throw new GatewayError('GW_ERR_GSM_SEND_FAILED', ['the modem answered OK without +CMGS']);
      return Number(reference);
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private run(
    command: string,
    timeoutMs: number,
    prompt: { payload: string; resultTimeoutMs: number } | undefined,
  ): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      let timer: NodeJS.Timeout;
      const arm = (ms: number, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          // A modem left waiting for a PDU takes ESC as "cancel the message" (TS 27.005 section 3.5.1).
          if (this.pending?.wantsPrompt) this.link.write(ESC);
          this.pending = undefined;
          reject(new GatewayError('GW_ERR_GSM_TIMEOUT', [what, ms]));
        }, ms);
      };
      this.pending = {
        command,
        info: [],
        wantsPrompt: prompt !== undefined,
        settle: (outcome) => {
          clearTimeout(timer);
          this.pending = undefined;
          if (outcome.ok) resolve(outcome.info);
          else reject(errorFor(command, outcome.line, this.portName));
        },
      };
      if (prompt) {
        this.pending.onPrompt = () => {
          arm(prompt.resultTimeoutMs, `${command} (+CMGS after the message)`);
          this.link.write(prompt.payload);
        };
      }
      arm(timeoutMs, prompt ? `${command} (the "> " prompt)` : command);
      this.link.write(`${command}\r`);
    });
  }

  private receive(chunk: string): void {
    this.text += chunk;
    for (;;) {
      const pending = this.pending;
      if (pending?.wantsPrompt && pending.onPrompt && /^[\r\n]*> ?/.test(this.text)) {
        this.text = this.text.replace(/^[\r\n]*> ?/, '');
        const onPrompt = pending.onPrompt;
        pending.onPrompt = undefined;
        pending.wantsPrompt = false;
        onPrompt();
        continue;
      }
      const end = this.text.search(/[\r\n]/);
      if (end === -1) return;
      const line = this.text.slice(0, end);
      this.text = this.text.slice(end + 1);
      if (line.trim() !== '') this.handleLine(line.trim());
    }
  }

  private handleLine(line: string): void {
    if (this.awaitingPduOf) {
      const name = this.awaitingPduOf;
      this.awaitingPduOf = undefined;
      this.onUnsolicited(name, line, line);
      return;
    }
    const classified = classifyAtLine(line);
    const pending = this.pending;
    if (classified.kind === 'unsolicited') {
      if (classified.name === '+CDS' || classified.name === '+CMT') this.awaitingPduOf = classified.name;
      else this.onUnsolicited(classified.name, line);
      return;
    }
    if (!pending) return;
    // An echo of the command (before ATE0 takes effect) is not an answer.
    if (line === pending.command) return;
    if (classified.kind === 'ok') pending.settle({ ok: true, info: pending.info });
    else if (classified.kind === 'error') pending.settle({ ok: false, line: classified });
    else pending.info.push(classified.line);
  }
}

function errorFor(command: string, line: Extract<AtLine, { kind: 'error' }>, portName: string): GatewayError {
  if (line.family === 'CMS')
    return new GatewayError(
      'GW_ERR_GSM_SEND_FAILED',
      [`+CMS ERROR ${line.code ?? '?'} (${cmsMeaning(line.code)})`],
      {
        cmsError: line.code ?? null,
      },
    );
  return new GatewayError('GW_ERR_GSM_MODEM', [portName, `${command} answered ${line.text}`]);
}
