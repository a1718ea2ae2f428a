/**
 * SMS-SUBMIT PDUs (3GPP TS 23.040 section 9.2.2.2) in UCS-2 (TS 23.038:
 * data coding scheme 0x08), split into concatenated parts with a user data
 * header (IE 0x00, 8-bit reference) when the text does not fit one SMS.
 * PDU mode (AT+CMGF=0, TS 27.005 section 3.2.3) is what every modem
 * implements (SIM800, SIM7600, Huawei E3372), while text-mode
 * concatenation is vendor-specific; UCS-2 carries Arabic. Pure.
 */

/** UTF-16 code units per SMS: 140 octets / 2; 67 when 6 octets of concatenation header come first. */
export const UCS2_SINGLE_UNITS = 70;
export const UCS2_PART_UNITS = 67;
/** At most 255 parts by the header; the gateway's own SMS are far shorter. */
const MAX_PARTS = 10;

export interface SubmitPdu {
  /** Hex of SMSC length (0: the SIM's own SMS centre) and the TPDU, as AT+CMGS takes it. */
  hex: string;
  /** Octets of the TPDU alone: the length AT+CMGS=<length> is given. */
  tpduLength: number;
}

export interface SubmitOptions {
  /** Concatenation reference shared by the parts of one message (0..255). */
  reference: number;
  /** Ask the network for a delivery status report (TP-SRR). */
  statusReport: boolean;
}

/** Splits text into the UTF-16 unit runs of each part, never between the halves of a surrogate pair. */
export function splitUcs2(text: string): string[] {
  if (text.length <= UCS2_SINGLE_UNITS) return [text];
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + UCS2_PART_UNITS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

export function encodeSubmitPdus(phone: string, text: string, options: SubmitOptions): SubmitPdu[] {
  const parts = splitUcs2(text);
  if (parts.length > MAX_PARTS)
    throw new RangeError(`SMS text needs ${parts.length} parts, more than ${MAX_PARTS}`);
  const address = encodeAddress(phone);
  return parts.map((part, index) => {
    const concatenated = parts.length > 1;
    const header = concatenated
      ? Buffer.from([0x05, 0x00, 0x03, options.reference & 0xff, parts.length, index + 1])
      : Buffer.alloc(0);
    const body = ucs2(part);
    // TP-MTI 01 (SUBMIT), TP-VPF 10 (relative validity), TP-SRR, TP-UDHI.
    const firstOctet = 0x01 | 0x10 | (options.statusReport ? 0x20 : 0) | (concatenated ? 0x40 : 0);
    const tpdu = Buffer.concat([
      Buffer.from([firstOctet, 0x00]), // TP-MR 0: the modem assigns the reference
      address,
      Buffer.from([0x00, 0x08, 0xa7]), // TP-PID 0, TP-DCS UCS-2, TP-VP 24 hours
      Buffer.from([header.length + body.length]),
      header,
      body,
    ]);
    return { hex: `00${tpdu.toString('hex').toUpperCase()}`, tpduLength: tpdu.length };
  });
}

function ucs2(text: string): Buffer {
  const out = Buffer.alloc(text.length * 2);
  for (let index = 0; index < text.length; index += 1) out.writeUInt16BE(text.charCodeAt(index), index * 2);
  return out;
}

/** TP-DA: digit count, type (0x91 international with "+", else 0x81), semi-octets swapped, F-padded. */
function encodeAddress(phone: string): Buffer {
  const international = phone.startsWith('+');
  const digits = phone.replace(/^\+/, '');
  if (!/^[0-9]{3,20}$/.test(digits)) throw new RangeError('phone number must be digits, optionally after +');
  const padded = digits.length % 2 === 0 ? digits : `${digits}F`;
  const swapped = padded.replace(/(.)(.)/g, '$2$1');
  return Buffer.concat([
    Buffer.from([digits.length, international ? 0x91 : 0x81]),
    Buffer.from(swapped, 'hex'),
  ]);
}

export interface DecodedSubmit {
  phone: string;
  text: string;
  statusReport: boolean;
  part?: { reference: number; total: number; sequence: number };
}

/** Reads an SMS-SUBMIT PDU back (the modem peer in tests; a check of what was sent). */
export function decodeSubmitPdu(hex: string): DecodedSubmit {
  const bytes = Buffer.from(hex, 'hex');
  let at = 1 + bytes[0]!; // skip the SMSC information
  const first = bytes[at]!;
  at += 2; // first octet, TP-MR
  const digitCount = bytes[at]!;
  const type = bytes[at + 1]!;
  const addressBytes = bytes.subarray(at + 2, at + 2 + Math.ceil(digitCount / 2));
  const digits = addressBytes
    .toString('hex')
    .replace(/(.)(.)/g, '$2$1')
    .slice(0, digitCount)
    .toUpperCase();
  at += 2 + addressBytes.length;
  const dcs = bytes[at + 1]!;
  at += 2; // TP-PID, TP-DCS
  if ((first & 0x18) === 0x10)
    at += 1; // relative validity period
  else if ((first & 0x18) !== 0) at += 7;
  const length = bytes[at]!;
  let data = bytes.subarray(at + 1, at + 1 + length);
  let part: DecodedSubmit['part'];
  if (first & 0x40) {
    const headerLength = data[0]!;
    const header = data.subarray(1, 1 + headerLength);
    if (header[0] === 0x00 && header[1] === 0x03)
      part = { reference: header[2]!, total: header[3]!, sequence: header[4]! };
    data = data.subarray(1 + headerLength);
  }
  if (dcs !== 0x08) throw new RangeError(`data coding scheme ${dcs} is not UCS-2`);
  let text = '';
  for (let index = 0; index + 1 < data.length; index += 2)
    text += String.fromCharCode(data.readUInt16BE(index));
  return {
    phone: `${type === 0x91 ? '+' : ''}${digits}`,
    text,
    statusReport: (first & 0x20) !== 0,
    ...(part ? { part } : {}),
  };
}

export interface StatusReport {
  /** TP-MR of the SMS it reports on: the number +CMGS answered. */
  reference: number;
  /** TP-ST (TS 23.040 section 9.2.3.15): 0x00..0x1F delivered, 0x20..0x3F still trying, 0x40.. failed. */
  status: number;
}

/** SMS-STATUS-REPORT (TS 23.040 section 9.2.2.3), as the +CDS line after a delivery carries it. */
export function decodeStatusReport(hex: string): StatusReport | undefined {
  const bytes = Buffer.from(hex.trim(), 'hex');
  if (bytes.length < 2) return undefined;
  let at = 1 + bytes[0]!;
  const first = bytes[at];
  if (first === undefined || (first & 0x03) !== 0x02) return undefined;
  const reference = bytes[at + 1];
  const digits = bytes[at + 2];
  if (reference === undefined || digits === undefined) return undefined;
  at += 4 + Math.ceil(digits / 2) + 14; // TP-RA, TP-SCTS, TP-DT
  const status = bytes[at];
  return status === undefined ? undefined : { reference, status };
}

/** The modem peer's side (tests): a status report for `reference`, as a network sends it. */
export function encodeStatusReport(reference: number, phone: string, status: number): string {
  const address = encodeAddress(phone);
  const time = Buffer.from('62113201000000', 'hex'); // 2026-11-23 10:00:00 +00, semi-octets
  const tpdu = Buffer.concat([
    Buffer.from([0x06, reference & 0xff]),
    address,
    time,
    time,
    Buffer.from([status]),
  ]);
  return `00${tpdu.toString('hex').toUpperCase()}`;
}
