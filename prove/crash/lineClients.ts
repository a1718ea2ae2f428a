import { connect, type Socket } from 'node:net';
import { deframe, frame } from '../../drivers/hl7/mllpFraming.ts';
import { framesOfRecords } from '../../test/harness/astmTcpTransmission.ts';
import { pcd01Message } from '../../test/harness/hl7Testdata.ts';

/**
 * The lab instruments of the crash campaign: an ASTM analyzer over TCP
 * (E1381) and an HL7 sender over MLLP, each keeping a ledger of what the
 * gateway acknowledged. A gateway killed mid-exchange resets the socket: the
 * message stays pending and is sent again, unchanged, to the next process,
 * as a real instrument does when its acknowledgement does not come.
 */
export interface InstrumentLedger {
  /** Identities acknowledged (ASTM: specimen ids whose every frame was ACKed; HL7: control ids answered AA). */
  acknowledged: Set<string>;
  /** The message sent but not acknowledged, sent again first. */
  pending: string | undefined;
  next: number;
  /** Answers other than the acknowledgement (NAK, AE, AR), counted. */
  refused: number;
}

export const newInstrumentLedger = (): InstrumentLedger => ({
  acknowledged: new Set(),
  pending: undefined,
  next: 1,
  refused: 0,
});

const ENQ = 0x05;
const ACK = 0x06;
const EOT = 0x04;
/** How long an instrument waits for an answer before it gives the exchange up (E1381 8.5.2: 15 s; shorter here). */
const ANSWER_TIMEOUT_MS = 5000;

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Bytes as they arrive, and a way to wait for the next ones; a closed socket ends every wait. */
function replies(socket: Socket) {
  let received = Buffer.alloc(0);
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    wake?.();
  });
  const end = () => {
    closed = true;
    wake?.();
  };
  socket.on('error', end);
  socket.on('close', end);
  return {
    get bytes() {
      return received;
    },
    async after(length: number): Promise<boolean> {
      const deadline = Date.now() + ANSWER_TIMEOUT_MS;
      while (received.length <= length && !closed && Date.now() < deadline)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      return received.length > length;
    },
  };
}

/** One specimen's glucose result, as a cartridge analyzer frames it (LIS2-A2). */
export function astmRecords(specimenId: string, value: number): string[] {
  return [
    'H|\\^&|||PROVE^1|||||||P|1394-97|20261201080000',
    'P|1||PROVE-P1',
    `O|1|${specimenId}||^^^PANEL`,
    `R|1|^^^GLU^Xpert^^^|${value}^||||||F`,
    'L|1|N',
  ];
}

/** Sends transmissions until `running()` is false or the gateway goes away; ledger records only full ACKs. */
export async function runAnalyzer(port: number, ledger: InstrumentLedger, running: () => boolean) {
  while (running()) {
    const specimenId = ledger.pending ?? `PRV${String(ledger.next++).padStart(6, '0')}`;
    ledger.pending = specimenId;
    const socket = await openSocket(port).catch(() => undefined);
    if (!socket) return;
    const answers = replies(socket);
    const exchange = async (bytes: Buffer): Promise<number | undefined> => {
      const before = answers.bytes.length;
      socket.write(bytes);
      return (await answers.after(before)) ? answers.bytes[before] : undefined;
    };
    let acked = (await exchange(Buffer.from([ENQ]))) === ACK;
    for (const each of framesOfRecords(astmRecords(specimenId, 5 + (ledger.next % 40) / 10))) {
      if (!acked) break;
      acked = (await exchange(each)) === ACK;
    }
    socket.end(Buffer.from([EOT]));
    socket.destroy();
    if (acked) {
      ledger.acknowledged.add(specimenId);
      ledger.pending = undefined;
    } else if (answers.bytes.includes(0x15)) ledger.refused += 1;
    if (!acked) return;
  }
}

/** Sends PCD-01 messages one at a time over one MLLP connection; ledger records MSA|AA by control id. */
export async function runHl7Sender(
  port: number,
  patientId: string,
  ledger: InstrumentLedger,
  running: () => boolean,
) {
  const socket = await openSocket(port).catch(() => undefined);
  if (!socket) return;
  const answers = replies(socket);
  let pending: Buffer = Buffer.alloc(0);
  let consumed = 0;
  try {
    while (running()) {
      const controlId = ledger.pending ?? `PRV${String(ledger.next++).padStart(6, '0')}`;
      ledger.pending = controlId;
      const before = answers.bytes.length;
      socket.write(frame(pcd01Message(controlId, patientId, 90 + (ledger.next % 9))));
      if (!(await answers.after(before))) return;
      // One ACK frame per message; it may come in pieces.
      let code: string | undefined;
      while (code === undefined) {
        const result = deframe(pending, answers.bytes.subarray(consumed), 1 << 20);
        consumed = answers.bytes.length;
        pending = result.pending;
        const item = result.items.find((each) => each.kind === 'frame');
        if (item?.kind === 'frame') code = /\rMSA\|([A-Z]{2})\|/.exec(item.payload.toString('utf8'))?.[1];
        else if (!(await answers.after(consumed))) return;
      }
      if (code === 'AA') {
        ledger.acknowledged.add(controlId);
        ledger.pending = undefined;
      } else {
        ledger.refused += 1;
        ledger.pending = undefined;
      }
    }
  } finally {
    socket.destroy();
  }
}
