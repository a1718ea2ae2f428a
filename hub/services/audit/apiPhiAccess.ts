import type { HubPool } from '../../db/hubDatabase.ts';

/** One Patient whose national ID an API response carried in clear. */
export interface ApiPhiAccess {
  /** A fresh uuid per access (phi_access_log.event_id: no event lies behind an API read). */
  eventId: string;
  patientId: string;
  facilityId: string;
}

/**
 * Writes one phi_access_log row per Patient an API response reveals, before
 * the response is sent: no row, no national ID. `client` names the API
 * client (the hub has one token: NILECARE_HUB_API_CLIENT); `reason` is the
 * interaction (fhir_read, fhir_vread, fhir_search).
 */
export async function appendApiPhiAccess(
  pool: HubPool,
  accesses: readonly ApiPhiAccess[],
  request: { client: string; reason: string; ipAddress: string; at: Date },
): Promise<void> {
  if (accesses.length === 0) return;
  await pool.query(
    `INSERT INTO phi_access_log (event_id, patient_id, user_id, user_role, facility_id, gateway_id, access_reason,
       ip_address, accessed_at, logged_at)
     SELECT event_id, patient_id, $4, 'api-client', facility_id, NULL, $5, $6, $7, $7
     FROM unnest($1::uuid[], $2::text[], $3::text[]) AS a (event_id, patient_id, facility_id)`,
    [
      accesses.map((access) => access.eventId),
      accesses.map((access) => access.patientId),
      accesses.map((access) => access.facilityId),
      request.client,
      request.reason,
      request.ipAddress,
      request.at,
    ],
  );
}
