/**
 * Canonical JSON bytes: object keys sorted by UTF-16 code unit, no white space,
 * `undefined` members dropped (the shape of RFC 8785 for the values events
 * carry: strings, finite numbers, booleans, null, arrays, objects). The hash
 * chain and every verifier rely on the same bytes for the same event.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(
      `canonicalJson: a ${value.constructor?.name ?? 'non-plain object'} is not a JSON object; convert it first`,
    );
  }
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
