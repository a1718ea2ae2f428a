import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { dataOf, type Projection } from './projection.ts';

/** A bed someone holds; a bed with no hold is free. */
export interface BedHold {
  ward: string;
  bed: string;
  state: 'reserved' | 'occupied';
  patientId: string;
  /** The admission saga that reserved it (absent for admissions recorded without one, e.g. the demo ward). */
  sagaId?: string;
  /** Set once the patient is admitted to the bed. */
  encounterId?: string;
  /** Until when a reservation holds the bed. */
  expiresAt?: string;
  since: string;
}

/** The whole bed board in one document: a clinic has tens of beds, and a discharge names no bed. */
export interface BedBoardDoc {
  holds: BedHold[];
}

export const BED_BOARD_DOC_ID = 'board';

const bedEventTypes = new Set([
  'bed_reserved',
  'bed_released',
  'patient_admitted',
  'patient_transferred',
  'patient_discharged',
  'encounter_closed',
]);

/**
 * Bed occupancy (a projection of the log, docs/admission-saga.md): reserved by an
 * admission saga, occupied by an admission, freed by a release, a transfer
 * out, a discharge or the end of the encounter. Independent of the configured
 * wards (config/wards.ts), so a rebuild never depends on today's settings;
 * the bed board route lays it over the configuration.
 */
export const bedsProjection: Projection<BedBoardDoc> = {
  name: 'beds',
  version: 1,
  docIdsOf: (event) => (bedEventTypes.has(event.eventType) ? [BED_BOARD_DOC_ID] : []),
  evolve(doc, event) {
    const holds = doc?.holds ?? [];
    const next = evolveHolds(holds, event);
    return next === holds && doc ? doc : { holds: next };
  },
};

function evolveHolds(holds: BedHold[], event: ClinicalEvent): BedHold[] {
  const patientId = event.patientId ?? '';
  switch (event.eventType) {
    case 'bed_reserved': {
      const { sagaId, ward, bed, reservedAt, expiresAt } = dataOf<{
        sagaId: string;
        ward: string;
        bed: string;
        reservedAt: string;
        expiresAt?: string;
      }>(event);
      const hold: BedHold = {
        ward,
        bed,
        state: 'reserved',
        patientId,
        sagaId,
        ...(expiresAt ? { expiresAt } : {}),
        since: reservedAt,
      };
      return [...withoutBed(holds, ward, bed), hold];
    }
    case 'bed_released': {
      const { sagaId, ward, bed } = dataOf<{ sagaId: string; ward: string; bed: string }>(event);
      // Only the saga's own reservation: a late release must not free a bed someone else now holds.
      return holds.filter((hold) => !(hold.ward === ward && hold.bed === bed && hold.sagaId === sagaId));
    }
    case 'patient_admitted': {
      const { encounterId, ward, bed, admittedAt } = dataOf<{
        encounterId: string;
        ward: string;
        bed?: string;
        admittedAt: string;
      }>(event);
      if (!bed) return holds;
      const reservation = holdAt(holds, ward, bed);
      const hold: BedHold = {
        ward,
        bed,
        state: 'occupied',
        patientId,
        ...(reservation?.sagaId && reservation.patientId === patientId ? { sagaId: reservation.sagaId } : {}),
        encounterId,
        since: admittedAt,
      };
      return [...withoutBed(holds, ward, bed), hold];
    }
    case 'patient_transferred': {
      const { encounterId, toWard, toBed, transferredAt } = dataOf<{
        encounterId: string;
        toWard: string;
        toBed?: string;
        transferredAt: string;
      }>(event);
      const left = holds.filter((hold) => hold.encounterId !== encounterId);
      if (!toBed) return left;
      const hold: BedHold = {
        ward: toWard,
        bed: toBed,
        state: 'occupied',
        patientId,
        encounterId,
        since: transferredAt,
      };
      return [...withoutBed(left, toWard, toBed), hold];
    }
    case 'patient_discharged':
    case 'encounter_closed': {
      const { encounterId } = dataOf<{ encounterId: string }>(event);
      return holds.some((hold) => hold.encounterId === encounterId)
        ? holds.filter((hold) => hold.encounterId !== encounterId)
        : holds;
    }
    default:
      return holds;
  }
}

function holdAt(holds: readonly BedHold[], ward: string, bed: string): BedHold | undefined {
  return holds.find((hold) => hold.ward === ward && hold.bed === bed);
}

function withoutBed(holds: readonly BedHold[], ward: string, bed: string): BedHold[] {
  return holds.filter((hold) => !(hold.ward === ward && hold.bed === bed));
}

/** Who holds a bed, if anyone. */
export function bedHold(board: BedBoardDoc | undefined, ward: string, bed: string): BedHold | undefined {
  return board ? holdAt(board.holds, ward, bed) : undefined;
}
