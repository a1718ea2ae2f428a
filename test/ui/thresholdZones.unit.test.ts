import { describe, expect, it } from 'vitest';
import { news2DefaultRules, worstBreach } from '../../kernel/clinical/criticalValueRules.ts';
import { news2Band } from '../../kernel/clinical/news2.ts';
import { news2Zones, zonesOfRule } from '../../ui/src/screens/chart/trends/thresholdZones.ts';
import { axisRange, trendPanels } from '../../ui/src/screens/chart/trends/trendPanels.ts';

const ruleOf = (parameter: string) => news2DefaultRules.find((rule) => rule.parameter === parameter)!;

describe('the alert rules’ zones shaded behind a trend chart', () => {
  it('shades SpO₂ at 93 % and below amber and at 91 % and below red (NEWS2 scale 1)', () => {
    expect(zonesOfRule(ruleOf('oxygenSaturation'))).toEqual([
      { from: 91, to: 93, severity: 'warning' },
      { from: -Infinity, to: 91, severity: 'critical' },
    ]);
  });

  it('shades both sides of the pulse: low red, high amber then red', () => {
    expect(zonesOfRule(ruleOf('heartRate'))).toEqual([
      { from: -Infinity, to: 40, severity: 'critical' },
      { from: 111, to: 131, severity: 'warning' },
      { from: 131, to: Infinity, severity: 'critical' },
    ]);
  });

  it('says for every whole value what the gateway’s rule raises there', () => {
    for (const rule of news2DefaultRules)
      for (let value = 0; value <= 250; value += 1) {
        const zones = zonesOfRule(rule).filter((zone) => value >= zone.from && value <= zone.to);
        const breach = worstBreach(rule, value);
        // A value on a zone's edge lies in two zones: the rule's verdict is the worse of them.
        const shaded = zones.some((zone) => zone.severity === 'critical') ? 'critical' : zones[0]?.severity;
        expect(shaded, `${rule.parameter} ${value}`).toBe(breach?.severity);
      }
  });

  it('shades NEWS2 totals of 5–6 as medium and 7 and more as high, as the kernel bands them', () => {
    expect(news2Zones()).toEqual([
      { from: 5, to: 7, severity: 'warning' },
      { from: 7, to: Infinity, severity: 'critical' },
    ]);
    expect(news2Band(5, false)).toBe('medium');
    expect(news2Band(7, false)).toBe('high');
  });

  it('draws the diastolic crisis threshold as a dashed line on the blood-pressure panel, not as a second shading', () => {
    const bloodPressure = trendPanels.find((panel) => panel.id === 'bloodPressure')!;
    expect(bloodPressure.zones).toEqual(zonesOfRule(ruleOf('systolicBloodPressure')));
    expect(bloodPressure.lines).toEqual([121]);
  });
});

describe('a trend chart’s value axis', () => {
  const spo2 = trendPanels.find((panel) => panel.id === 'oxygenSaturation')!;

  it('shows at least the usual range, so a steady patient is not drawn as a wild line', () => {
    expect(axisRange(spo2, 96, 98)).toEqual([85, 100]);
    expect(axisRange(spo2, null, null)).toEqual([85, 100]);
  });

  it('widens to a value beyond it, never past what can be measured', () => {
    const [low, high] = axisRange(spo2, 70, 99);
    expect(low).toBeLessThan(70);
    expect(high).toBe(100);
  });
});
