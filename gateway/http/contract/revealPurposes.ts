/**
 * The purposes the ward screen offers for revealing a national ID; the API
 * also takes a reason in a few words of free text (http/revealReason.ts).
 * Recorded as given in sudan_national_id_accessed.accessReason. Imports
 * nothing, so the UI's bundle takes it as it is.
 */
export const revealPurposes = [
  'identity_verification',
  'insurance_claim',
  'referral',
  'ministry_report',
  'patient_request',
] as const;
