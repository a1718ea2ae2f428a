import {
  type AlertSeverity,
  type ParameterRule,
  worstBreach,
} from '../../../../../kernel/clinical/criticalValueRules.ts';
import { news2Band } from '../../../../../kernel/clinical/news2.ts';

/** A stretch of a chart's axis shaded as a rule judges it: values from `from` to `to` (inclusive) breach. */
export interface ThresholdZone {
  from: number;
  to: number;
  severity: AlertSeverity;
}

/**
 * The zones of one alert rule (kernel/clinical/criticalValueRules.ts): from
 * each threshold outwards to the next, shaded as the worst band a value at
 * that threshold breaches, so the shading says what the gateway's rule would
 * raise for a reading there (docs/critical-values.md).
 */
export function zonesOfRule(rule: ParameterRule): ThresholdZone[] {
  const zonesTowards = (direction: 'low' | 'high'): ThresholdZone[] => {
    const outward = direction === 'low' ? -1 : 1;
    const edges = rule.bands
      .filter((band) => band.direction === direction)
      .map((band) => band.threshold)
      .sort((a, b) => (a - b) * outward);
    return edges.flatMap((edge, index) => {
      const severity = worstBreach(rule, edge)?.severity;
      const next = edges[index + 1] ?? outward * Infinity;
      if (!severity) return [];
      return [{ from: Math.min(edge, next), to: Math.max(edge, next), severity }];
    });
  };
  return [...zonesTowards('low'), ...zonesTowards('high')];
}

/** NEWS2 totals of a medium (5–6) and a high (7 and more) clinical response, read from kernel/clinical/news2.ts. */
export function news2Zones(highestTotal = 20): ThresholdZone[] {
  const severityOf = { medium: 'warning', high: 'critical' } as const;
  const zones: ThresholdZone[] = [];
  for (let total = 0; total <= highestTotal; total += 1) {
    const band = news2Band(total, false);
    if (band !== 'medium' && band !== 'high') continue;
    const severity = severityOf[band];
    const last = zones.at(-1);
    if (last?.severity === severity && last.to === total - 1) last.to = total;
    else zones.push({ from: total, to: total, severity });
  }
  // Totals are whole numbers: a zone reaches up to where the next begins, the last to the top.
  zones.forEach((zone, index) => {
    const next = zones[index + 1];
    if (!next) zone.to = Infinity;
    else if (next.from === zone.to + 1) zone.to = next.from;
  });
  return zones;
}
