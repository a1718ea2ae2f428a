import { validateDraft } from '../../kernel/events/validateEvent.ts';
import type { Violation } from '../campaign.ts';

/**
 * The guarantees the hostile input campaign checks (docs/architecture.md#guarantee-7),
 * as pure functions of what was observed, so a broken guarantee is shown to
 * be reported (test/prove/input/inputInvariants.unit.test.ts).
 */

/** What one entry point saw of its inputs. */
export interface EntryTally {
  entry: string;
  inputs: number;
  /** Inputs the gateway refused (a coded error, AE/AR, a quarantined payload, a refused connection). */
  refused: number;
  /** Refused inputs the gateway must have quarantined, by what the client saw (a quarantineId, AE/AR, the parser's verdict). */
  mustQuarantine: number;
  /** How far the quarantine count rose while this entry point ran. */
  quarantined: number;
  /** Connections or requests that got neither an answer nor a close within their limit. */
  hangs: number;
  /** Longest time to an answer or a close, in milliseconds. */
  slowestMs: number;
  violations: Violation[];
}

/** The fields a stored event has beyond its draft (gateway/eventStore/eventLog.ts). */
const appendedFields = ['gatewayId', 'seq', 'recordedAt'] as const;

/**
 * Every stored event must validate against the catalogue (kernel/events): its
 * body without the fields the log adds is a draft validateDraft accepts.
 */
export function malformedEvents(bodies: readonly { seq: number; body: string }[]): Violation[] {
  const violations: Violation[] = [];
  for (const { seq, body } of bodies) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      violations.push({
        round: seq,
        guarantee: 'no malformed event is stored',
        detail: `seq ${seq}: body is not JSON`,
      });
      continue;
    }
    const draft = Object.fromEntries(
      Object.entries(parsed).filter(([name]) => !(appendedFields as readonly string[]).includes(name)),
    );
    const checked = validateDraft(draft);
    if (!checked.ok)
      violations.push({
        round: seq,
        guarantee: 'no malformed event is stored',
        detail: `seq ${seq} (${String(parsed.eventType)}): ${checked.issues
          .slice(0, 3)
          .map((issue) => issue.message)
          .join('; ')}`,
      });
  }
  return violations;
}

/** The quarantine must rise by at least the refused inputs the client knows were to be quarantined. */
export function quarantineShortfall(
  tally: Pick<EntryTally, 'entry' | 'mustQuarantine' | 'quarantined'>,
): Violation[] {
  return tally.quarantined >= tally.mustQuarantine
    ? []
    : [
        {
          round: 0,
          guarantee: 'each refused input is quarantined with a coded error',
          detail: `${tally.entry}: ${tally.mustQuarantine} refused inputs to quarantine, the quarantine rose by ${tally.quarantined}`,
        },
      ];
}

/** A connection or request that took longer than its limit to be answered or closed is a hang. */
export function hangOf(
  entry: string,
  index: number,
  elapsedMs: number,
  limitMs: number,
): Violation | undefined {
  return elapsedMs <= limitMs
    ? undefined
    : {
        round: index,
        guarantee: 'no connection hangs past its timeout',
        detail: `${entry} input ${index}: no answer or close after ${Math.round(elapsedMs)} ms (limit ${limitMs} ms)`,
      };
}

/** After the entry points, the gateway process must still run and answer /health. */
export function crashOf(
  entry: string,
  health: { exited: boolean; healthStatus: number | undefined },
): Violation | undefined {
  if (!health.exited && health.healthStatus === 200) return undefined;
  return {
    round: 0,
    guarantee: 'the gateway never crashes',
    detail: `after ${entry}: ${health.exited ? 'the gateway process exited' : `/health answered ${health.healthStatus ?? 'nothing'}`}`,
  };
}

/** What a CLI run must look like: a success, or a coded error, a non-zero exit and no stack trace. */
export function cliOutcomeViolation(
  args: readonly string[],
  result: { code: number | null; stderr: string; stdout: string; timedOut: boolean },
  index: number,
): Violation | undefined {
  const shown = JSON.stringify(args).slice(0, 200);
  const fail = (detail: string): Violation => ({
    round: index,
    guarantee: 'the CLI answers bad arguments with a coded error',
    detail: `nilecare ${shown}: ${detail}`,
  });
  const output = `${result.stderr}\n${result.stdout}`;
  if (result.timedOut) return fail('did not exit in time');
  if (/^\s+at .+(:\d+:\d+\)?|\(node:)/m.test(output)) return fail('printed a stack trace');
  if (result.code === 0) return undefined;
  if (result.code === null) return fail('killed by a signal');
  if (!/\b(GW|SYNC|HUB)_ERR_[A-Z0-9_]+\b/.test(result.stderr))
    return fail(`exit ${result.code} without a coded error`);
  return undefined;
}
