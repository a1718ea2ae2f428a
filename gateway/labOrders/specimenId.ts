/**
 * Specimen ids: what the tube's Code 128 barcode says and what analyzers
 * report results by (docs/lab-orders.md#specimen-ids). Nine characters of
 * Crockford's base32 (no I, L, O, U: nothing a tired eye or a smudged label
 * confuses) carry 45 random bits; a tenth is a Luhn mod 32 check character, so
 * a mistyped id (one character wrong, two neighbours swapped, except 0 and Z)
 * is refused instead of landing on another patient's tube.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 9;

/** The Luhn mod N check character of `body` over the alphabet (every character must be in it). */
function checkCharacter(body: string): string {
  let sum = 0;
  let double = true;
  for (let index = body.length - 1; index >= 0; index -= 1) {
    let value = alphabet.indexOf(body.charAt(index));
    if (double) {
      value *= 2;
      value = Math.floor(value / alphabet.length) + (value % alphabet.length);
    }
    sum += value;
    double = !double;
  }
  return alphabet.charAt((alphabet.length - (sum % alphabet.length)) % alphabet.length);
}

/** A specimen id from at least six random bytes (the caller's source of randomness: tests pass fixed ones). */
export function specimenIdFrom(random: Uint8Array): string {
  if (random.length < 6) throw new RangeError('specimenIdFrom needs 6 random bytes');
  let bits = 0n;
  for (const byte of random.subarray(0, 6)) bits = (bits << 8n) | BigInt(byte);
  let body = '';
  for (let index = 0; index < BODY_LENGTH; index += 1) {
    body += alphabet.charAt(Number(bits & 31n));
    bits >>= 5n;
  }
  return body + checkCharacter(body);
}

/** Whether `id` is a well-formed specimen id whose check character agrees. */
export function isSpecimenId(id: string): boolean {
  if (id.length !== BODY_LENGTH + 1) return false;
  if ([...id].some((character) => !alphabet.includes(character))) return false;
  return checkCharacter(id.slice(0, BODY_LENGTH)) === id.charAt(BODY_LENGTH);
}
