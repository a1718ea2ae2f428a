/**
 * Given / when / then for the gateway's pure cores, in the style of Emmett's
 * decider and projection specifications (docs/architecture.md, "Adding things"):
 * a projection is given events and then has documents; a decider (a saga
 * step, a rule, a reactor) is given events, which its `evolve` folds into a
 * state, and when a command comes then decides something. Every `then...`
 * is a vitest `expect`, so a wrong expectation fails the test that wrote it.
 * They return nothing: an object with a `then` method is taken for a promise
 * by whatever awaits it, so only the steps before `then` are values.
 */
import { expect } from 'vitest';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import { applyEvent, type Projection } from '../../gateway/projections/projection.ts';

/** What `toMatchObject` is given: any part of the value, at any depth. */
export type PartOf<T> = T extends object ? { [K in keyof T]?: PartOf<T[K]> } : T;

/** Events as a list or one by one: `given(a, b)` is `given([a, b])`. */
type Given<Event> = readonly (Event | readonly Event[])[];

const flat = <Event>(given: Given<Event>): Event[] =>
  given.flatMap((item) => (Array.isArray(item) ? (item as readonly Event[]) : [item as Event]));

/** A pure fold: where a decider's state starts and how each event changes it. */
export interface Fold<Event, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
}

/** Emmett's decider: `decide(command, state)` over the state its own events fold to. */
export interface Decider<Command, Event, State, Outcome> extends Fold<Event, State> {
  decide(command: Command, state: State): Outcome;
}

/**
 * A projection's documents, by id, as a fold: the same `applyEvent` the
 * projection store runs, over a map instead of SQLite rows.
 */
export function projectionFold<Doc>(
  projection: Projection<Doc>,
): Fold<ClinicalEvent, ReadonlyMap<string, Doc>> {
  return {
    initialState: () => new Map<string, Doc>(),
    evolve(docs, event) {
      const next = new Map(docs);
      applyEvent(projection, event, {
        get: (_name, docId) => next.get(docId),
        put: (_name, docId, doc) => void next.set(docId, doc as Doc),
        remove: (_name, docId) => void next.delete(docId),
      });
      return next;
    },
  };
}

const foldAll = <Event, State>(fold: Fold<Event, State>, events: readonly Event[]): State =>
  events.reduce((state, event) => fold.evolve(state, event), fold.initialState());

/** `projectionSpec(alertsProjection).given(raised, acknowledged).thenDocMatches('alert-1', { status: 'acknowledged' })` */
export function projectionSpec<Doc>(projection: Projection<Doc>) {
  const fold = projectionFold(projection);
  return {
    given(...given: Given<ClinicalEvent>) {
      const events = flat(given);
      const docs = foldAll(fold, events);
      const about = (docId: string) => `${projection.name} document ${docId}`;
      const outcome = {
        /** The documents after the events, by id, in the order they were first written. */
        docs,
        /** One document, for assertions the kit does not phrase; fails when there is none. */
        doc(docId: string): Doc {
          const doc = docs.get(docId);
          expect(doc, `${about(docId)} exists`).toBeDefined();
          return doc as Doc;
        },
        /** Every document, exactly. */
        // biome-ignore lint/suspicious/noThenProperty: given/when/then; it returns nothing, so nothing awaits it
        then(expected: Readonly<Record<string, Doc>>) {
          expect(Object.fromEntries(docs), `${projection.name} documents`).toEqual(expected);
        },
        /** One document exactly; `undefined` when the events leave none. */
        thenDoc(docId: string, expected: Doc | undefined) {
          expect(docs.get(docId), about(docId)).toEqual(expected);
        },
        /** The fields named of one document. */
        thenDocMatches(docId: string, expected: PartOf<Doc>) {
          expect(docs.get(docId), about(docId)).toMatchObject(expected as object);
        },
        /** The ids of the documents there are, in order. */
        thenDocIds(expected: readonly string[]) {
          expect([...docs.keys()], `${projection.name} document ids`).toEqual(expected);
        },
        /** The ids of the documents the events touch (`docIdsOf`), whatever evolve made of them. */
        thenTouches(expected: readonly string[]) {
          const touched = events.flatMap((event) => projection.docIdsOf(event));
          expect(touched, `${projection.name} documents touched`).toEqual(expected);
        },
      };
      return outcome;
    },
  };
}

/**
 * `deciderSpec(saga).given(started, reserved).when(now).then({ kind: 'create_encounter', ... })`.
 * `when` decides only when a `then...` asks, so `thenThrows` sees the throw.
 */
export function deciderSpec<Command, Event, State, Outcome>(
  decider: Decider<Command, Event, State, Outcome>,
) {
  return {
    given(...given: Given<Event>) {
      const state = foldAll(decider, flat(given));
      return {
        /** The state the events fold to. */
        state,
        thenState(expected: State) {
          expect(state, 'the state after the given events').toEqual(expected);
        },
        thenStateMatches(expected: PartOf<State>) {
          expect(state, 'the state after the given events').toMatchObject(expected as object);
        },
        when(command: Command) {
          return thenOf(() => decider.decide(command, state), 'the decision');
        },
        /**
         * Commands one after another, the state evolved between them by the
         * events `record` says carrying out each outcome appends.
         */
        whenEach(commands: readonly Command[], record: (outcome: Outcome) => readonly Event[]) {
          return thenOf(() => {
            let current = state;
            return commands.map((command) => {
              const outcome = decider.decide(command, current);
              for (const event of record(outcome)) current = decider.evolve(current, event);
              return outcome;
            });
          }, 'the decisions');
        },
      };
    },
  };
}

function thenOf<Outcome>(decide: () => Outcome, what: string) {
  let decided: { outcome: Outcome } | undefined;
  const outcome = (): Outcome => {
    decided ??= { outcome: decide() };
    return decided.outcome;
  };
  const then = {
    /** What was decided, for assertions the kit does not phrase. */
    get outcome(): Outcome {
      return outcome();
    },
    // biome-ignore lint/suspicious/noThenProperty: given/when/then; it returns nothing, so nothing awaits it
    then(expected: Outcome) {
      expect(outcome(), what).toEqual(expected);
    },
    thenMatches(expected: PartOf<Outcome>) {
      expect(outcome(), what).toMatchObject(expected as object);
    },
    /** The one element of a list outcome (drafts, decisions); fails when there are none or several. */
    thenOnlyOne(): Outcome extends readonly (infer Item)[] ? Item : never {
      const list = outcome();
      expect(list, `${what}: exactly one`).toHaveLength(1);
      return (list as unknown as readonly unknown[])[0] as Outcome extends readonly (infer Item)[]
        ? Item
        : never;
    },
    /** Deciding throws a coded error (kernel/errors/defineErrors.ts) with this code. */
    thenThrows(code: string) {
      let thrown: unknown;
      try {
        decide();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `${what} throws ${code}`).toMatchObject({ code });
    },
  };
  return then;
}
