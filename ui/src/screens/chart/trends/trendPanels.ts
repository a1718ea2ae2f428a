import { news2DefaultRules } from '../../../../../kernel/clinical/criticalValueRules.ts';
import type { VitalParameter } from '../../../model.ts';
import { news2Zones, type ThresholdZone, zonesOfRule } from './thresholdZones.ts';

/**
 * One small chart of the Trends section: the vital signs it draws on one
 * axis, the range its axis shows at least (so a steady patient is not drawn
 * as a wild line by an axis zoomed onto one breath), and the rule thresholds
 * shaded behind it (docs/ui.md#trends).
 */
export interface TrendPanel {
  id: string;
  /** The vital signs drawn as lines, the first one's rule shaded; none for the NEWS2 panel. */
  parameters: readonly VitalParameter[];
  /** The axis shows at least this range, and more when a value lies beyond it. */
  shows: readonly [number, number];
  /** A value can never lie beyond these (SpO2 above 100 %). */
  limits?: readonly [number, number];
  zones: readonly ThresholdZone[];
  /** Thresholds of the other parameters, drawn as dashed lines rather than shaded over the first's. */
  lines: readonly number[];
}

const rulesOf = (parameter: VitalParameter) =>
  news2DefaultRules.filter((rule) => rule.parameter === parameter);
const zonesOf = (parameter: VitalParameter) => rulesOf(parameter).flatMap(zonesOfRule);
const thresholdsOf = (parameter: VitalParameter) =>
  rulesOf(parameter).flatMap((rule) => rule.bands.map((band) => band.threshold));

const vitalPanel = (
  parameter: VitalParameter,
  shows: readonly [number, number],
  limits?: readonly [number, number],
): TrendPanel => ({
  id: parameter,
  parameters: [parameter],
  shows,
  ...(limits ? { limits } : {}),
  zones: zonesOf(parameter),
  lines: [],
});

/** The panels in the order a nurse reads the NEWS2 chart: breathing, circulation, temperature, the total. */
export const trendPanels: readonly TrendPanel[] = [
  vitalPanel('oxygenSaturation', [85, 100], [0, 100]),
  vitalPanel('respiratoryRate', [6, 30], [0, 150]),
  vitalPanel('heartRate', [35, 140], [0, 350]),
  {
    id: 'bloodPressure',
    parameters: ['systolicBloodPressure', 'diastolicBloodPressure'],
    shows: [40, 230],
    limits: [0, 350],
    zones: zonesOf('systolicBloodPressure'),
    lines: thresholdsOf('diastolicBloodPressure'),
  },
  vitalPanel('temperature', [34, 40], [20, 46]),
  { id: 'news2', parameters: [], shows: [0, 10], limits: [0, 20], zones: news2Zones(), lines: [] },
];

/**
 * The axis range of a panel: what it shows at least, widened to the values
 * drawn (with a little room), never past the limits.
 */
export function axisRange(
  panel: TrendPanel,
  dataMin: number | null,
  dataMax: number | null,
): [number, number] {
  const [showLow, showHigh] = panel.shows;
  const [limitLow, limitHigh] = panel.limits ?? [-Infinity, Infinity];
  const room = (showHigh - showLow) * 0.05;
  const low = dataMin === null ? showLow : Math.min(showLow, dataMin - room);
  const high = dataMax === null ? showHigh : Math.max(showHigh, dataMax + room);
  return [Math.max(limitLow, low), Math.min(limitHigh, high)];
}
