import type { ClinicalEvent } from '../../kernel/events/envelope.ts';

/**
 * A read model (the read side of CQRS) as a pure fold over the log: which
 * documents an event touches, and each document after the event. The same
 * definition serves the persisted store, a rebuild and time travel (--as-of).
 */
export interface Projection<Doc> {
  name: string;
  /** Bump when evolve changes meaning: the store then rebuilds this projection from the log. */
  version: number;
  docIdsOf(event: ClinicalEvent): readonly string[];
  /** Pure: the document after the event; undefined removes it. */
  evolve(doc: Doc | undefined, event: ClinicalEvent): Doc | undefined;
}

/** Where documents are read and written: SQLite rows or an in-memory map. */
export interface DocAccess {
  get(projection: string, docId: string): unknown;
  put(projection: string, docId: string, doc: unknown): void;
  remove(projection: string, docId: string): void;
}

/** Applies one event to one projection through any document store. */
export function applyEvent<Doc>(projection: Projection<Doc>, event: ClinicalEvent, access: DocAccess): void {
  for (const docId of projection.docIdsOf(event)) {
    const before = access.get(projection.name, docId) as Doc | undefined;
    const after = projection.evolve(before, event);
    if (after === undefined) {
      if (before !== undefined) access.remove(projection.name, docId);
    } else if (after !== before) {
      access.put(projection.name, docId, after);
    }
  }
}

/** Narrows `event.data` to the shape its catalogue schema guarantees. */
export function dataOf<T>(event: ClinicalEvent): T {
  return event.data as unknown as T;
}
