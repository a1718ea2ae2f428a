import { eventCatalogue } from '../../kernel/events/catalogue.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { JsonObject } from '../../kernel/events/json.ts';
import { encryptField } from '../../kernel/phi/fieldCipher.ts';
import type { PhiKeyring } from '../../kernel/phi/phiKeyring.ts';
import { exampleDraft } from './exampleDrafts.ts';
import type { FakeGateway } from './fakeGateway.ts';

export const nationalIdOfTestPatient = 'ABC123456789';

/**
 * A gateway's stream with one event of every catalogue type (45), about one
 * patient, in catalogue order, the national ID encrypted as the gateway does.
 */
export function everyEventType(
  gateway: FakeGateway,
  patientId: string,
  keyring: PhiKeyring,
): ClinicalEvent[] {
  return [...eventCatalogue.keys()].map((eventType) => {
    const { eventId: _id, ...draft } = exampleDraft(eventType);
    const data: JsonObject = { ...draft.data };
    if (eventType === 'patient_registered')
      data.sudanNationalId = encryptField(nationalIdOfTestPatient, 'sudanNationalId', keyring);
    if (eventType === 'patient_updated') {
      const changes = { ...(data.changes as JsonObject) };
      if (typeof changes.phone === 'string') changes.phone = encryptField(changes.phone, 'phone', keyring);
      data.changes = changes;
    }
    if (eventType === 'patient_registered' && typeof data.phone === 'string')
      data.phone = encryptField(data.phone, 'phone', keyring);
    return gateway.next({
      ...draft,
      ...(draft.patientId ? { patientId } : {}),
      data,
    });
  });
}
