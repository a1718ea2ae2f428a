import type { PlacedLabOrder } from '../../gateway/pluginApi.ts';
import type { AnalyzerMapping } from '../lab/analyzerMapping.ts';
import type { EventDraft } from '../../kernel/events/envelope.ts';
import type { IdSource } from '../../kernel/events/ids.ts';
import { fieldValue, type Hl7Message } from './hl7Message.ts';
import { hl7TimeToIso } from './hl7Time.ts';
import { eventDraft, type FacilityContext } from '../../kernel/events/eventDraft.ts';

/** What mapping an ORU^R01 needs besides the message, and the pieces its two halves (vitals, lab results) share. */
export interface OruContext {
  facility: FacilityContext;
  newId: IdSource;
  /** The registered patient one of the PID-3 identifiers names (patientId or MRN), if any. */
  resolvePatient: (identifiers: readonly string[]) => string | undefined;
  /** Offset from UTC of the sender's clock, for HL7 times sent without one. */
  assumedUtcOffsetMinutes: number;
  /** The technician's test-code and unit mapping for this listener's senders (drivers.json). */
  mapping: AnalyzerMapping;
  /** The gateway's orders on a specimen: links a result that names no order number to its order. */
  ordersForSpecimen?: (specimenId: string) => readonly PlacedLabOrder[];
}

/** HL7 table 0357 error codes used in the ACK's ERR segment. */
export type Hl7ErrorCode = '100' | '101' | '102' | '103' | '200' | '201' | '207';

export type OruMapping =
  | {
      ok: true;
      /** Drafts in message order; the first carries the retransmission key. */
      drafts: EventDraft[];
      /** Observations the gateway has no place for (MDC codes not mapped, results not yet available). */
      notRecorded: { code: string; why: 'unmapped_code' | 'no_result' | 'superseded' }[];
      /** Lab OBX without a result to record: each is quarantined, so the message's results add up. */
      empty: { code: string; reason: string; raw: string }[];
      /** Lab OBX in the message: recorded (drafts) + empty. */
      labObservations: number;
    }
  | { ok: false; acknowledgement: 'AE' | 'AR'; hl7Error: Hl7ErrorCode; reason: string };

export interface MessageHeader {
  controlId: string;
  sendingApplication: string;
  sendingFacility: string;
  messageType: string;
  triggerEvent: string;
  time: string;
}

export function messageHeader(message: Hl7Message): MessageHeader {
  const msh = message.segments[0];
  return {
    controlId: fieldValue(msh, 10),
    sendingApplication: fieldValue(msh, 3),
    sendingFacility: fieldValue(msh, 4),
    messageType: fieldValue(msh, 9, 1),
    triggerEvent: fieldValue(msh, 9, 2),
    time: fieldValue(msh, 7),
  };
}

export class Refusal extends Error {
  constructor(
    readonly hl7Error: Hl7ErrorCode,
    reason: string,
  ) {
    super(reason);
  }
}

export type Who = { patientId?: string; patientMRN?: string };

export function numeric(text: string): number | undefined {
  const trimmed = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : undefined;
}

export function hl7Time(value: string, context: OruContext, field: string): string | undefined {
  if (value.trim() === '') return undefined;
  const iso = hl7TimeToIso(value, context.assumedUtcOffsetMinutes);
  if (!iso) throw new Refusal('102', `${field} "${value}" is not an HL7 date/time`);
  return iso;
}

export function envelope(
  eventType: string,
  timestamp: string,
  who: Who,
  header: MessageHeader,
  context: OruContext,
  source: string,
  data: Record<string, unknown>,
): EventDraft {
  return eventDraft(
    {
      eventId: context.newId(),
      eventType,
      timestamp,
      facility: context.facility,
      ...who,
      source,
      metadata: {
        hl7: {
          controlId: header.controlId.slice(0, 64),
          sendingApplication: header.sendingApplication.slice(0, 64),
          ...(who.patientId ? {} : { patientMatched: false }),
        },
      },
    },
    data,
  );
}
