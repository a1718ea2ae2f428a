import { describe, expect, it } from 'vitest';
import type { AlertEpisodeDoc } from '../../../gateway/projections/alertEpisodes.ts';
import { type AlertDecision, decideAlerts } from '../../../gateway/rules/alertEpisodeDecisions.ts';
import { news2DefaultRules } from '../../../kernel/clinical/criticalValueRules.ts';

function episode(
  parameter: string,
  severity: 'critical' | 'warning',
  direction: 'low' | 'high',
  alertId = 'alert-open',
): AlertEpisodeDoc {
  return { subjectId: 'patient-1', parameter, alertId, severity, direction };
}

function decide(parameter: string, value: number, open?: AlertEpisodeDoc): AlertDecision[] {
  return decideAlerts([{ parameter, value }], news2DefaultRules, (asked) =>
    asked === open?.parameter ? open : undefined,
  );
}

/**
 * Feeds readings one at a time and keeps the open episode the way the
 * alertEpisodes projection does: a raise opens (or replaces) it, a resolve closes it.
 */
function run(parameter: string, values: readonly number[]): AlertDecision[][] {
  let open: AlertEpisodeDoc | undefined;
  let alerts = 0;
  return values.map((value) => {
    const decisions = decide(parameter, value, open);
    for (const decision of decisions) {
      if (decision.kind === 'raise') {
        alerts += 1;
        open = episode(parameter, decision.band.severity, decision.band.direction, `alert-${alerts}`);
      } else {
        open = undefined;
      }
    }
    return decisions;
  });
}

describe('SpO2 below 92 %', () => {
  it('raises one critical alert and none while it stays low', () => {
    const steps = run('oxygenSaturation', [97, 89, 88, 86, 90, 91]);
    expect(steps.flat()).toHaveLength(1);
    const [raise] = steps[1]!;
    expect(raise).toMatchObject({
      kind: 'raise',
      value: 89,
      band: { severity: 'critical', direction: 'low', threshold: 91 },
    });
    expect(raise).not.toHaveProperty('supersedes');
  });

  it('raises nothing for a normal reading with no open episode', () => {
    expect(decide('oxygenSaturation', 96)).toEqual([]);
  });
});

describe('a worsening episode', () => {
  it('raises a critical alert that supersedes the open warning', () => {
    const open = episode('oxygenSaturation', 'warning', 'low');
    const [decision, ...rest] = decide('oxygenSaturation', 89, open);
    expect(rest).toEqual([]);
    expect(decision).toMatchObject({ kind: 'raise', band: { severity: 'critical' }, supersedes: open });
  });

  it('raises nothing more while the value stays at the same severity', () => {
    expect(decide('oxygenSaturation', 93, episode('oxygenSaturation', 'warning', 'low'))).toEqual([]);
    expect(decide('oxygenSaturation', 85, episode('oxygenSaturation', 'critical', 'low'))).toEqual([]);
  });
});

describe('an improving episode', () => {
  it('does not resolve a critical alert when the value only improves to warning', () => {
    expect(decide('oxygenSaturation', 92, episode('oxygenSaturation', 'critical', 'low'))).toEqual([]);
    expect(decide('heartRate', 120, episode('heartRate', 'critical', 'high'))).toEqual([]);
  });

  it('does not resolve while the value is back in range but inside the hysteresis', () => {
    // SpO2: mildest low threshold 93 % plus 1 % hysteresis.
    expect(decide('oxygenSaturation', 94, episode('oxygenSaturation', 'critical', 'low'))).toEqual([]);
    // Pulse: mildest high threshold 111 /min minus 5.
    expect(decide('heartRate', 106, episode('heartRate', 'warning', 'high'))).toEqual([]);
  });

  it('resolves the open alert once the value is past the hysteresis', () => {
    const open = episode('oxygenSaturation', 'critical', 'low');
    expect(decide('oxygenSaturation', 95, open)).toEqual([{ kind: 'resolve', episode: open, value: 95 }]);
    const pulse = episode('heartRate', 'warning', 'high');
    expect(decide('heartRate', 105, pulse)).toEqual([{ kind: 'resolve', episode: pulse, value: 105 }]);
  });

  it('goes raise, nothing, nothing, resolve over a desaturation that recovers slowly', () => {
    const steps = run('oxygenSaturation', [89, 92, 94, 95, 97]);
    expect(steps.map((decisions) => decisions.map((decision) => decision.kind))).toEqual([
      ['raise'],
      [],
      [],
      ['resolve'],
      [],
    ]);
  });
});

describe('a value that flips direction', () => {
  it('raises a high alert that supersedes the open low one', () => {
    const open = episode('heartRate', 'critical', 'low');
    const [decision] = decide('heartRate', 135, open);
    expect(decision).toMatchObject({
      kind: 'raise',
      band: { direction: 'high', severity: 'critical', threshold: 131 },
      supersedes: open,
    });
  });

  it('supersedes even when the new direction is less severe', () => {
    const open = episode('systolicBloodPressure', 'critical', 'high');
    const [decision] = decide('systolicBloodPressure', 95, open);
    expect(decision).toMatchObject({
      kind: 'raise',
      band: { direction: 'low', severity: 'warning' },
      supersedes: open,
    });
  });
});

describe('parameters without a rule', () => {
  it('are ignored, whatever their value', () => {
    const onlySpo2 = news2DefaultRules.filter((rule) => rule.parameter === 'oxygenSaturation');
    const decisions = decideAlerts(
      [
        { parameter: 'temperature', value: 34 },
        { parameter: 'bloodGlucose', value: 1 },
      ],
      onlySpo2,
      () => undefined,
    );
    expect(decisions).toEqual([]);
  });

  it('do not stop the parameters that have one from being decided', () => {
    const decisions = decideAlerts(
      [
        { parameter: 'bloodGlucose', value: 1 },
        { parameter: 'oxygenSaturation', value: 85 },
        { parameter: 'heartRate', value: 140 },
      ],
      news2DefaultRules,
      () => undefined,
    );
    expect(
      decisions.map((decision) => (decision.kind === 'raise' ? decision.rule.parameter : 'resolve')),
    ).toEqual(['oxygenSaturation', 'heartRate']);
  });
});
