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
 * Device passwords are random 128-bit tokens, so scrypt at N=2^14 (r=8, p=1)
 * is ample; stored as `scrypt$N$r$p$salt$hash`, never in clear.
 */
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Shortest device password a technician may choose, in characters (OWASP ASVS 4.0 2.1.1); a generated one has 22. */
export const MIN_DEVICE_PASSWORD_LENGTH = 12;
/** Longest, so scrypt never chews on megabytes. */
export const MAX_DEVICE_PASSWORD_LENGTH = 256;

/** Refuses a chosen device password that is too short, too long or only white space. */
export function checkDevicePassword(password: string): void {
  const refuse = (why: string) => new GatewayError('GW_ERR_DEVICE_PASSWORD_WEAK', [why]);
  if (password.trim().length === 0) throw refuse('it is empty or only white space');
  if (password.length < MIN_DEVICE_PASSWORD_LENGTH)
    throw refuse(`it must be at least ${MIN_DEVICE_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_DEVICE_PASSWORD_LENGTH)
    throw refuse(`it must be at most ${MAX_DEVICE_PASSWORD_LENGTH} characters`);
}

export function generateDeviceSecret(): string {
  return randomBytes(16).toString('base64url');
}

export async function hashDeviceSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyDeviceSecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64url');
  const actual = await scrypt(secret, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(actual, expected);
}
