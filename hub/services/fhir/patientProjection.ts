import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { fhirId, systems } from './fhirIds.ts';
import type { FhirResource, ResourceChange } from './fhirTypes.ts';
import { clean, type Data, merged, str } from './projectionKit.ts';

/**
 * Patient from patient_registered / patient_updated. The national ID comes
 * from the FHIR service still sealed (the gateway's ciphertext: it is stored
 * so, and opened only when the API serves it) and goes into the identifier
 * only; the phone stays encrypted and out of FHIR. `sameNationalId` tells
 * whether the stored ciphertext holds the same ID, so a copy sealed again
 * (a new IV) makes no new version.
 */
export function patientChange(
  event: EventDraft,
  nationalId: string | undefined,
  sameNationalId: (stored: string) => boolean = () => false,
): ResourceChange | undefined {
  const patientId = event.patientId;
  if (!patientId) return undefined;
  const fields = event.eventType === 'patient_registered' ? event.data : ((event.data.changes ?? {}) as Data);
  return {
    resourceType: 'Patient',
    id: fhirId(patientId),
    patientId,
    apply: (current) => patientResource(current, event, patientId, fields, nationalId, sameNationalId),
  };
}

type Identifier = { system?: string; value?: string; use?: string; type?: unknown };

function patientResource(
  current: FhirResource | undefined,
  event: EventDraft,
  patientId: string,
  fields: Data,
  nationalId: string | undefined,
  sameNationalId: (stored: string) => boolean,
): FhirResource {
  const previous = (current ?? {}) as {
    identifier?: Identifier[];
    name?: { family?: string; given?: string[] }[];
    address?: Record<string, string>[];
  };
  const identifiers = new Map<string, Identifier>();
  for (const identifier of previous.identifier ?? []) identifiers.set(identifier.system ?? '', identifier);
  identifiers.set(systems.patientId, { use: 'usual', system: systems.patientId, value: patientId });
  if (event.patientMRN)
    identifiers.set(systems.mrn(event.facilityId), {
      use: 'secondary',
      type: { coding: [{ system: systems.v20203, code: 'MR', display: 'Medical record number' }] },
      system: systems.mrn(event.facilityId),
      value: event.patientMRN,
    });
  const stored = identifiers.get(systems.nationalId)?.value;
  if (nationalId)
    identifiers.set(systems.nationalId, {
      use: 'official',
      type: {
        coding: [{ system: systems.v20203, code: 'NI', display: 'National unique individual identifier' }],
      },
      system: systems.nationalId,
      value: stored && (stored === nationalId || sameNationalId(stored)) ? stored : nationalId,
    });

  const oldName = previous.name?.[0] ?? {};
  const oldGiven = oldName.given ?? [];
  const given = [
    str(fields, 'firstName') ?? oldGiven[0],
    str(fields, 'fatherName') ?? oldGiven[1],
    str(fields, 'grandfatherName') ?? oldGiven[2],
  ].filter((part): part is string => part !== undefined);
  const family = str(fields, 'lastName') ?? oldName.family;
  const oldAddress = previous.address?.[0] ?? {};
  const address = clean({
    text: str(fields, 'address') ?? oldAddress.text,
    district: str(fields, 'locality') ?? oldAddress.district,
    state: str(fields, 'sudanState') ?? oldAddress.state,
    country: 'SD',
  });
  const language = str(fields, 'preferredLanguage');
  return merged(current, 'Patient', fhirId(patientId), {
    identifier: [...identifiers.values()],
    active: true,
    name: family || given.length > 0 ? [clean({ use: 'official', family, given })] : undefined,
    gender: str(fields, 'sex') ?? (current?.gender as string | undefined),
    birthDate: str(fields, 'birthDate') ?? (current?.birthDate as string | undefined),
    address: Object.keys(address).length > 1 ? [address] : undefined,
    communication: language
      ? [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: language }] }, preferred: true }]
      : current?.communication,
    managingOrganization: { display: event.facilityId },
  });
}
