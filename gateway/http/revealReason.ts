import { revealPurposes } from './contract/revealPurposes.ts';

/** Shortest free-text reason, in characters, and in words. */
export const MIN_REVEAL_REASON_LENGTH = 10;
export const MIN_REVEAL_REASON_WORDS = 2;

/**
 * Why a reason for revealing a national ID is not one, or undefined if it
 * is: one of the listed purposes, or a few words of free text, so "ok" or
 * "x" cannot stand for a reason in the audit log (OWASP ASVS 4.0 8.3.5).
 */
export function revealReasonProblem(reason: string): string | undefined {
  const text = reason.trim();
  if ((revealPurposes as readonly string[]).includes(text)) return undefined;
  const words = text.split(/\s+/).filter((word) => /\p{L}{2,}/u.test(word));
  if (text.length < MIN_REVEAL_REASON_LENGTH || words.length < MIN_REVEAL_REASON_WORDS)
    return `body/reason must say why: one of ${revealPurposes.join(', ')}, or at least ${MIN_REVEAL_REASON_WORDS} words and ${MIN_REVEAL_REASON_LENGTH} characters`;
  return undefined;
}
