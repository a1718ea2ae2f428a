import type { ValidationIssue } from './validateEvent.ts';

/** The rule an issue of this file names (validateEvent.ts maps it to its own code where it answers). */
export const storableTextRule = 'storable-text';

/**
 * C0 controls but tab, line feed and carriage return (a note's lines), DEL and
 * the C1 controls; then a high surrogate not followed by a low one, or a low
 * one not after a high one: half a character, which UTF-8 cannot encode.
 */
const unstorableSource =
  '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
// Without the `u` flag a lone surrogate is one code unit, which is what the pattern looks for.
const unstorable = new RegExp(unstorableSource);
const everyUnstorable = new RegExp(unstorableSource, 'g');

/** The text with each character it may not hold replaced by U+FFFD, for a message about it. */
export function printable(text: string): string {
  return text.replace(everyUnstorable, '\uFFFD');
}

/** What is wrong with one string, or undefined (pure). */
export function unstorableCharacter(text: string): string | undefined {
  const found = unstorable.exec(text);
  if (!found) return undefined;
  const unit = found[0].charCodeAt(0);
  const name = `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
  return unit >= 0xd800 && unit <= 0xdfff
    ? `holds a lone UTF-16 surrogate (${name}) at character ${found.index}`
    : `holds the control character ${name} at character ${found.index}`;
}

/**
 * Every string of an event, keys included, that PostgreSQL (the hub) or a
 * screen could not hold as written (docs/security.md#b-audit-controls): a NUL is refused in
 * JSONB, a lone surrogate is not UTF-8 at all. Pure; walks objects and arrays.
 */
export function unstorableTextIssues(value: unknown, field = ''): ValidationIssue[] {
  if (typeof value === 'string') {
    const problem = unstorableCharacter(value);
    return problem
      ? [{ field: field || '/', rule: storableTextRule, message: `${field || '/'} ${problem}` }]
      : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => unstorableTextIssues(item, `${field}/${index}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const path = `${field}/${printable(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
      const keyProblem = unstorableCharacter(key);
      const keyIssues = keyProblem
        ? [{ field: path, rule: storableTextRule, message: `the name of ${path} ${keyProblem}` }]
        : [];
      return [...keyIssues, ...unstorableTextIssues(item, path)];
    });
  }
  return [];
}
