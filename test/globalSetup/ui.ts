import { buildUi, uiBuildIsStale } from '../../ui/build.ts';

/**
 * Builds the nurse's screen (ui/src → ui/dist) once before the run when the
 * build is missing or older than its sources, so the browser tests always
 * drive what ui/src says, on a fresh clone too.
 */
export default async function setup(): Promise<void> {
  if (uiBuildIsStale()) await buildUi();
}
