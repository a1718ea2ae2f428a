import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAtLine, isPermanentCmsError } from '../../../drivers/gsm/atResponses.ts';
import { alertShortCode, escalationSmsText } from '../../../drivers/gsm/escalationSmsText.ts';
import { parseOnCallNumbers } from '../../../drivers/gsm/gsmSettings.ts';
import {
  decodeStatusReport,
  decodeSubmitPdu,
  encodeStatusReport,
  encodeSubmitPdus,
  splitUcs2,
} from '../../../drivers/gsm/smsPdu.ts';

describe('SMS-SUBMIT PDUs in UCS-2', () => {
  it('encodes a short Arabic text in one PDU that reads back the same', () => {
    const [pdu, more] = encodeSubmitPdus('+249912345678', 'تنبيه: السرير A1', {
      reference: 7,
      statusReport: true,
    });
    expect(more).toBeUndefined();
    // SMSC 00, first octet 0x31 (SUBMIT, relative validity, status report), MR 00, 12 digits international.
    expect(pdu!.hex.slice(0, 10)).toBe('0031000C91');
    // Semi-octets: each pair of digits swapped (24 99 12 -> 42 99 21 ...).
    expect(pdu!.hex.slice(10, 22)).toBe('429921436587');
    expect(pdu!.tpduLength).toBe(pdu!.hex.length / 2 - 1);
    expect(decodeSubmitPdu(pdu!.hex)).toEqual({
      phone: '+249912345678',
      text: 'تنبيه: السرير A1',
      statusReport: true,
    });
  });

  it('splits a long text into concatenated parts of 67 units with one reference', () => {
    const text = 'ع'.repeat(150);
    const pdus = encodeSubmitPdus('+249912345678', text, { reference: 200, statusReport: false });
    expect(pdus).toHaveLength(3);
    const decoded = pdus.map((pdu) => decodeSubmitPdu(pdu.hex));
    expect(decoded.map((d) => d.part)).toEqual([
      { reference: 200, total: 3, sequence: 1 },
      { reference: 200, total: 3, sequence: 2 },
      { reference: 200, total: 3, sequence: 3 },
    ]);
    expect(decoded.map((d) => d.text).join('')).toBe(text);
    expect(Math.max(...pdus.map((pdu) => pdu.tpduLength))).toBeLessThanOrEqual(140 + 15);
  });

  it('never cuts a character outside the BMP in half', () => {
    const text = `${'a'.repeat(66)}😀${'b'.repeat(10)}`;
    const parts = splitUcs2(text);
    expect(parts[0]).toBe('a'.repeat(66));
    expect(parts.join('')).toBe(text);
  });

  it('reads back any text and number it encodes (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.stringMatching(/^\+?[1-9][0-9]{6,14}$/),
        (text, phone) => {
          const pdus = encodeSubmitPdus(phone, text, { reference: 1, statusReport: false });
          expect(pdus.map((pdu) => decodeSubmitPdu(pdu.hex).text).join('')).toBe(text);
          expect(decodeSubmitPdu(pdus[0]!.hex).phone).toBe(phone);
        },
      ),
    );
  });

  it('reads the message reference and status of a delivery report', () => {
    expect(decodeStatusReport(encodeStatusReport(42, '+249912345678', 0))).toEqual({
      reference: 42,
      status: 0,
    });
    expect(decodeStatusReport('00')).toBeUndefined();
    expect(decodeStatusReport('not hex')).toBeUndefined();
  });
});

describe('modem answers', () => {
  it('tells final results, errors, unsolicited codes and information apart', () => {
    expect(classifyAtLine('OK')).toEqual({ kind: 'ok' });
    expect(classifyAtLine('+CMS ERROR: 331')).toMatchObject({ kind: 'error', family: 'CMS', code: 331 });
    expect(classifyAtLine('+CME ERROR: 10')).toMatchObject({ kind: 'error', family: 'CME', code: 10 });
    expect(classifyAtLine('ERROR')).toMatchObject({ kind: 'error', family: 'plain' });
    expect(classifyAtLine('+CDS: 25')).toMatchObject({ kind: 'unsolicited', name: '+CDS' });
    expect(classifyAtLine('+CMGS: 12')).toEqual({ kind: 'info', line: '+CMGS: 12' });
  });

  it('retries network errors but not a PDU the modem refuses as malformed', () => {
    expect(isPermanentCmsError(331)).toBe(false);
    expect(isPermanentCmsError(38)).toBe(false);
    expect(isPermanentCmsError(304)).toBe(true);
  });
});

describe('the escalation SMS text', () => {
  const alert = {
    alertId: '0190f3c2-7a1b-7000-8000-00000a3f9c2e',
    parameter: 'oxygenSaturation',
    value: 84,
    unit: '%',
    direction: 'low' as const,
    bed: 'A1',
    detectedAt: '2026-11-26T08:42:10.000Z',
  };

  it('says bed, sign, value, local time, level and alert reference in Arabic then English', () => {
    const text = escalationSmsText(alert, 2, 120);
    const [arabic, english] = text.split('\n');
    expect(arabic).toBe(
      'NileCare: تنبيه لم يُستجب له (مستوى 2) - سرير A1 - تشبع الأكسجين 84 % منخفض - 10:42 - رمز 3F9C2E',
    );
    expect(english).toBe(
      'NileCare: unacknowledged alert (level 2) - Bed A1 - SpO2 84 % low - 10:42 - ref 3F9C2E',
    );
    expect(alertShortCode(alert.alertId)).toBe('3F9C2E');
  });
});

describe('the escalation SMS text of an alert the analyzer flagged', () => {
  const flagged = {
    alertId: '0190f3c2-7a1b-7000-8000-00000a3f9c2e',
    parameter: 'WBC',
    value: 105.6,
    unit: '10E3/uL',
    direction: 'high' as const,
    flag: 'HH' as const,
    bed: 'A1',
    detectedAt: '2026-11-26T08:42:10.000Z',
  };

  it('names the flag and what it means instead of a limit', () => {
    const [arabic, english] = escalationSmsText(flagged, 1, 120).split('\n');
    expect(english).toBe(
      'NileCare: unacknowledged alert (level 1) - Bed A1 - WBC 105.6 10E3/uL HH (critically high) - 10:42 - ref 3F9C2E',
    );
    expect(arabic).toContain('HH (مرتفع بشكل حرج)');
  });

  it('gives the text of a result that is not a number', () => {
    const { value: _v, unit: _u, direction: _d, ...text } = flagged;
    const english = escalationSmsText(
      { ...text, parameter: 'MAL', valueText: 'POSITIVE', flag: 'AA' },
      1,
      120,
    ).split('\n')[1];
    expect(english).toContain('MAL POSITIVE AA (critically abnormal)');
    expect(english).not.toContain('undefined');
  });
});

describe('on-call numbers', () => {
  it('reads ids, numbers and the level each is texted from', () => {
    expect(parseOnCallNumbers('nurse=+249912000001, consultant=+249912000003@2')).toEqual([
      { recipientId: 'nurse', phone: '+249912000001', fromLevel: 1 },
      { recipientId: 'consultant', phone: '+249912000003', fromLevel: 2 },
    ]);
  });

  it('refuses a malformed entry without printing the number', () => {
    expect(() => parseOnCallNumbers('nurse=0912000001')).toThrowError(/NILECARE_ONCALL_NUMBERS/);
    try {
      parseOnCallNumbers('nurse=0912000001');
    } catch (error) {
      expect((error as Error).message).not.toContain('0912000001');
    }
    expect(() => parseOnCallNumbers('a=+249912000001,a=+249912000002')).toThrowError(/twice/);
  });
});
