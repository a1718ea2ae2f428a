import { type Delimiters, escapeHl7, type Hl7Message, fieldValue } from './hl7Message.ts';
import { isoToHl7Time } from './hl7Time.ts';
import type { Hl7ErrorCode } from './oruMapping.ts';

export type AckCode = 'AA' | 'AE' | 'AR';

const defaultDelimiters: Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

export interface AckInput {
  /** The message answered; undefined when it could not be parsed (no MSH to answer). */
  message: Hl7Message | undefined;
  code: AckCode;
  /** Why, for AE and AR: goes to MSA-3 and ERR-8 (never PHI: codes and field names only). */
  reason?: string;
  hl7Error?: Hl7ErrorCode;
  controlId: string;
  now: Date;
}

/**
 * An original-mode ACK (HL7 v2.5 section 2.9.2): MSH swapped sender and
 * receiver, MSA-1 the code, MSA-2 the control id answered, MSA-3 the reason,
 * and for an error an ERR segment (ERR-3 from table 0357, ERR-4 severity E).
 * Written in the delimiters the sender declared, segments ended by CR.
 */
export function buildAck(input: AckInput): string {
  const delimiters = input.message?.delimiters ?? defaultDelimiters;
  const { field: f, component: c } = delimiters;
  const msh = input.message?.segments[0];
  const encoding = `${c}${delimiters.repetition}${delimiters.escape}${delimiters.subcomponent}`;
  const trigger = fieldValue(msh, 9, 2);
  const version = fieldValue(msh, 12) || '2.5';
  const esc = (text: string) => escapeHl7(text, delimiters);
  const header = [
    'MSH',
    encoding,
    esc(fieldValue(msh, 5) || 'NILECARE'),
    esc(fieldValue(msh, 6)),
    esc(fieldValue(msh, 3)),
    esc(fieldValue(msh, 4)),
    isoToHl7Time(input.now),
    '',
    `ACK${trigger ? `${c}${esc(trigger)}${c}ACK` : ''}`,
    esc(input.controlId),
    esc(fieldValue(msh, 11) || 'P'),
    esc(version),
  ].join(f);
  const reason = input.reason ? esc(input.reason.slice(0, 500)) : '';
  const segments = [header, ['MSA', input.code, esc(fieldValue(msh, 10)), reason].join(f)];
  if (input.code !== 'AA')
    segments.push(
      ['ERR', '', '', `${input.hl7Error ?? '207'}${c}${c}HL70357`, 'E', '', '', '', reason].join(f),
    );
  return `${segments.join('\r')}\r`;
}
