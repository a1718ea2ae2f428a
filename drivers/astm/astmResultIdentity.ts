/**
 * Which test an R record reports (E1394 field 10.1.3 / R.3, universal test
 * id: components 1-3 the universal code, name and coding system, 4 onwards
 * the manufacturer's local code). Analyzers use the local part at several
 * levels: Sysmex "^^^^WBC^1" (code, then dilution), Pentra "^^^WBC^804-5^1"
 * (code, LOINC, dilution), a cartridge PCR analyzer "^^^TB^Xpert^^rpoB1^Ct"
 * (panel, assay, analyte, sub-measure). Every level is part of the identity:
 * the panel result and its analyte lines are different results
 * (docs/devices.md#result-identity).
 */
import { recordableCode } from '../lab/recordableCode.ts';

/** The universal test id with "^" between components and trailing blank components dropped. */
export function universalTestId(components: readonly string[]): string {
  const parts = components.map((part) => part.trim());
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts.join('^');
}

/** A dilution or replicate number ("1"), or a LOINC code ("804-5"): says nothing of which test. */
const qualifierOnly = /^(\d+|\d{1,7}-\d)$/;

/**
 * The levels that name the test: the manufacturer's code and each later
 * component that is a name (dilution numbers and LOINC codes are not). Roche
 * appends "/dilution" to its code ("685/"), which is dropped. Falls back to
 * the universal code (component 1).
 */
export function testLevels(components: readonly string[]): string[] {
  const local = components.slice(3).map((part) => part.trim());
  const first = local.findIndex((part) => part !== '');
  if (first === -1) {
    const universal = components[0]?.trim();
    return universal ? [universal] : [];
  }
  const base = local[first]!.replace(/^(\d+)\/\d*$/, '$1');
  const named = local.slice(first + 1).filter((part) => part !== '' && !qualifierOnly.test(part));
  return [base, ...named];
}

/**
 * The code to record for the levels: "WBC"; "TB.Xpert.rpoB1.Ct". When that is
 * longer than the catalogue's 32 characters, the middle levels go first
 * (the panel and the last level name the result best).
 */
export function levelsCode(levels: readonly string[]): string {
  const codes = levels.map(recordableCode);
  let kept = [...codes];
  while (kept.length > 2 && kept.join('.').length > 32) kept = [kept[0]!, ...kept.slice(2)];
  return (
    kept
      .join('.')
      .slice(0, 32)
      .replace(/[._-]+$/, '') || 'X'
  );
}

/**
 * The analyzer's codes for a result, most specific first, as a technician
 * may map them in drivers.json's `testCodes`: the whole universal test id,
 * the levels joined by "^", the manufacturer's code alone.
 */
export function mappingCandidates(components: readonly string[]): string[] {
  const levels = testLevels(components);
  const candidates = [universalTestId(components), levels.join('^'), levels[0] ?? ''];
  return [...new Set(candidates.filter((candidate) => candidate !== ''))];
}
