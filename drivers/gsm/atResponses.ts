/**
 * What a modem's output line means (pure): 3GPP TS 27.007 final result
 * codes (OK, ERROR, +CME ERROR) and TS 27.005 ones (+CMS ERROR), the
 * AT+CMGS prompt, and unsolicited result codes that may arrive at any time.
 */
export type AtLine =
  | { kind: 'ok' }
  | { kind: 'error'; family: 'CMS' | 'CME' | 'plain'; code?: number; text: string }
  | { kind: 'unsolicited'; name: string; line: string }
  | { kind: 'info'; line: string };

/** Unsolicited codes the gateway meets; +CDS is followed by a PDU line (TS 27.005 section 3.4.1). */
const unsolicited = [
  '+CDS:',
  '+CDSI:',
  '+CMTI:',
  '+CMT:',
  'RING',
  '+CREG:',
  '+CGREG:',
  '+CUSD:',
  'RDY',
  '+CPIN:',
];

export function classifyAtLine(line: string): AtLine {
  const trimmed = line.trim();
  if (trimmed === 'OK') return { kind: 'ok' };
  if (trimmed === 'ERROR' || trimmed === 'NO CARRIER')
    return { kind: 'error', family: 'plain', text: trimmed };
  const error = /^\+(CMS|CME) ERROR:\s*(.*)$/.exec(trimmed);
  if (error) {
    const code = Number(error[2]);
    return {
      kind: 'error',
      family: error[1] as 'CMS' | 'CME',
      ...(Number.isInteger(code) ? { code } : {}),
      text: trimmed,
    };
  }
  const name = unsolicited.find((prefix) => trimmed.startsWith(prefix));
  if (name) return { kind: 'unsolicited', name: name.replace(/:$/, ''), line: trimmed };
  return { kind: 'info', line: trimmed };
}

/** +CMS ERROR codes (TS 27.005 section 3.2.5; 0..127 are TS 24.011 RP causes), for messages and retry decisions. */
const cmsMeanings: Record<number, string> = {
  8: 'operator determined barring',
  21: 'short message transfer rejected',
  27: 'destination out of service',
  28: 'unidentified subscriber',
  38: 'network out of order',
  41: 'temporary failure',
  42: 'congestion',
  50: 'requested facility not subscribed',
  300: 'ME failure',
  301: 'SMS service of ME reserved',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  313: 'SIM failure',
  314: 'SIM busy',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  332: 'network timeout',
  500: 'unknown error',
};

export function cmsMeaning(code: number | undefined): string {
  return code === undefined ? 'no code' : (cmsMeanings[code] ?? 'see 3GPP TS 27.005 section 3.2.5');
}

/** Errors that the same SMS sent again cannot fix: a PDU the modem refuses as malformed or unsupported. */
export function isPermanentCmsError(code: number | undefined): boolean {
  return code === 303 || code === 304 || code === 305;
}
