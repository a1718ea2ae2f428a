import { type AstmMessage, type AstmRecord, componentsOf, fieldOf } from './astmRecords.ts';

/** A code ("CONTROL_FAILED", "Alarm_WBC", "LMNE-"): no spaces, so no one's name. */
const codeLike = /^[A-Za-z0-9_.+\-#%/*:]+$/;

/**
 * What a result's or order's C records (E1394 section 10.5) add to the
 * result's note: their coded parts (instrument alarms, QC verdicts such as
 * "CONTROL_FAILED"). Free text is not copied: analyzers put the operator's
 * and the doctor's names there ("Id# 118176 ... /Dr. ..."), whatever C.3
 * says of its source, and the note travels in clear to the hub
 * (docs/security.md). How many were left out is said in the note.
 */
export function commentNotes(comments: readonly AstmRecord[], message: AstmMessage): string[] {
  const notes: string[] = [];
  let withheld = 0;
  for (const comment of comments) {
    const parts = componentsOf(fieldOf(comment, 4), message.delimiters)
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const kept = parts.filter((part) => codeLike.test(part));
    if (kept.length < parts.length) withheld += 1;
    if (kept.length > 0) notes.push(kept.join(' '));
  }
  if (withheld > 0)
    notes.push(
      `${withheld} free-text comment${withheld === 1 ? '' : 's'} from the analyzer not copied (may name staff)`,
    );
  return notes;
}
