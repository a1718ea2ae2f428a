/** Building blocks shared by the `data` schemas of the catalogue. */

export const id = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const text = (maxLength = 500) => ({ type: 'string', minLength: 1, maxLength }) as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const date = { type: 'string', format: 'date' } as const;
/** Another event's `eventId` (a UUID), for an event that names the one it answers. */
export const eventId = { type: 'string', format: 'uuid' } as const;

/**
 * A PHI field encrypted by the gateway (AES-256-GCM, guarantee 8):
 * `enc:v1:<keyId>:<iv>:<ciphertext+tag>`, base64url parts.
 */
export const encryptedValuePattern = '^enc:v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22,}$';

/** A PHI field: plaintext as the caller gives it, ciphertext as the log stores it. */
export const phiField = (plainPattern: string) =>
  ({
    type: 'string',
    anyOf: [{ pattern: encryptedValuePattern }, { pattern: plainPattern }],
  }) as const;

/** Sudan national number: the platform design's example is "ABC123456789"; civil registry numbers are 11 digits. */
export const sudanNationalIdPattern = '^[A-Z0-9]{6,20}$';
/** E.164 phone, Sudan numbers +249 ...; other countries accepted (cross-border patients). */
export const phonePattern = '^\\+[1-9][0-9]{7,14}$';

/** The states of Sudan (18), as written in the platform design ("Khartoum"). */
export const sudanStates = [
  'Khartoum',
  'Al Jazirah',
  'White Nile',
  'Blue Nile',
  'Sennar',
  'Gedaref',
  'Kassala',
  'Red Sea',
  'River Nile',
  'Northern',
  'North Kordofan',
  'South Kordofan',
  'West Kordofan',
  'North Darfur',
  'South Darfur',
  'East Darfur',
  'West Darfur',
  'Central Darfur',
] as const;

export const quantity = (units: readonly string[], minimum: number, maximum: number) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['value', 'unit'],
    properties: {
      value: { type: 'number', minimum, maximum },
      unit: { type: 'string', enum: units },
    },
  }) as const;

export const objectOf = (required: readonly string[], properties: Record<string, unknown>) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;
