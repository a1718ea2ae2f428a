import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { GatewayError } from '../errors.ts';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * scrypt is memory-hard (docs/security-access.md): N=2^15, r=8, p=1 needs
 * 32 MiB per guess (128·N·r bytes), OWASP's floor for scrypt. maxmem leaves
 * room above that, Node's default (32 MiB) would refuse it.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Shortest password accepted, in characters. */
export const MIN_PASSWORD_LENGTH = 12; // OWASP ASVS 4.0 2.1.1
/** Longest, so a huge body cannot make scrypt chew on megabytes. */
export const MAX_PASSWORD_LENGTH = 256;

export function checkPasswordRules(password: string): void {
  if (password.trim().length === 0)
    throw new GatewayError('GW_ERR_PASSWORD_WEAK', ['it must not be empty or only spaces']);
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new GatewayError('GW_ERR_PASSWORD_WEAK', [`it must be at least ${MIN_PASSWORD_LENGTH} characters`]);
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new GatewayError('GW_ERR_PASSWORD_WEAK', [`it must be at most ${MAX_PASSWORD_LENGTH} characters`]);
}

/** `scrypt$N$r$p$salt$hash` (base64url), a fresh salt per user; never the password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(password.normalize('NFC'), salt, KEY_BYTES, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/** Constant-time comparison of the derived key; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(saltText, 'base64url'), KEY_BYTES, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}
