/**
 * How many failed sign-ins stop further tries, and for whom
 * (docs/security-access.md#sign-in-limits; OWASP ASVS 4.0 2.2.1). Three
 * counters, each over a sliding window:
 *
 * - one username from one address (`perPair`): a guesser at one tablet is
 *   stopped on that name, the same nurse at the next tablet is not;
 * - one address across usernames (`perAddress`): a guesser cannot go round
 *   the names;
 * - one username from every address (`perUsername`): a ceiling against a
 *   guesser spread over many addresses. It is higher than `perAddress`, so
 *   one address alone can never close a name to everyone else.
 */
export interface SignInLimits {
  perPair: number;
  perAddress: number;
  perUsername: number;
  /** Sliding window, in milliseconds. */
  windowMs: number;
}

export const defaultSignInLimits: SignInLimits = {
  perPair: 5, // failed sign-ins of one username from one address
  perAddress: 10, // failed sign-ins from one address, whatever the username
  perUsername: 20, // failed sign-ins of one username from all addresses together
  windowMs: 15 * 60 * 1000, // ms: 15 minutes
};

export interface SignInKey {
  kind: 'pair' | 'address' | 'user';
  key: string;
  limit: number;
}

/** An address as one client: an IPv4-mapped IPv6 address (`::ffff:10.0.0.7`) is its IPv4 address. */
export function clientAddressKey(address: string): string {
  return (/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address).toLowerCase();
}

/** The counters a try from `address` for `username` counts against. */
export function signInKeys(username: string, address: string, limits: SignInLimits): SignInKey[] {
  const name = username.trim().toLowerCase();
  const from = clientAddressKey(address);
  return [
    { kind: 'pair', key: `pair:${name}@${from}`, limit: limits.perPair },
    { kind: 'address', key: `address:${from}`, limit: limits.perAddress },
    { kind: 'user', key: `user:${name}`, limit: limits.perUsername },
  ];
}
