import type { ValidationIssue } from '../../kernel/events/validateEvent.ts';

export type ReadingPatient = { ok: true; patientId?: string } | { ok: false; issue: ValidationIssue };

/**
 * Whose reading this is (pure). A device bound to a patient files readings
 * only under that patient: a payload naming another is refused, never
 * re-filed, so a bedside monitor cannot raise alerts in another chart. An
 * unbound device may name the patient, who must be registered here.
 */
export function readingPatient(
  named: string | undefined,
  bound: string | undefined,
  isRegistered: (patientId: string) => boolean,
): ReadingPatient {
  if (bound !== undefined) {
    if (named === undefined || named === bound) return { ok: true, patientId: bound };
    return {
      ok: false,
      issue: {
        field: '/patientId',
        rule: 'binding',
        message: `/patientId names another patient than the one this device is bound to`,
      },
    };
  }
  if (named === undefined) return { ok: true };
  if (isRegistered(named)) return { ok: true, patientId: named };
  return {
    ok: false,
    issue: {
      field: '/patientId',
      rule: 'registered',
      message: '/patientId is not a patient registered at this gateway',
    },
  };
}
