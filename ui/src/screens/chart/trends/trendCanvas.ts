import uPlot from 'uplot';
import { trendColours } from './trendColours.ts';
import type { AlertMark } from './trendData.ts';
import type { TrendPanel } from './trendPanels.ts';

/** The scale's value as a canvas y, held inside the plot when the zone runs past the axis (to ±Infinity). */
function yOf(self: uPlot, value: number): number {
  const { min = 0, max = 0 } = self.scales.y ?? {};
  return self.valToPos(Math.min(Math.max(value, min), max), 'y', true);
}

/**
 * Behind the lines: the rule zones shaded (critical red, warning amber) and
 * the other thresholds of the panel as dashed lines (the diastolic one on the
 * blood-pressure panel), so a line crossing into a zone is a line the
 * gateway raises an alert for (docs/critical-values.md).
 */
export function drawThresholds(self: uPlot, panel: TrendPanel): void {
  const { ctx, bbox } = self;
  ctx.save();
  for (const zone of panel.zones) {
    const top = yOf(self, zone.to);
    const bottom = yOf(self, zone.from);
    if (bottom - top < 0.5) continue;
    ctx.fillStyle = trendColours.zone[zone.severity];
    ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
  }
  ctx.strokeStyle = trendColours.threshold;
  ctx.lineWidth = uPlot.pxRatio;
  ctx.setLineDash([4 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
  for (const threshold of panel.lines) {
    const y = Math.round(yOf(self, threshold));
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
  }
  ctx.restore();
}

/** Over the lines: each alert as a vertical line at the time it was raised, with a flag on top, in its priority's colour. */
export function drawAlertMarks(self: uPlot, alerts: readonly AlertMark[]): void {
  const { ctx, bbox } = self;
  const px = uPlot.pxRatio;
  ctx.save();
  for (const mark of alerts) {
    const x = Math.round(self.valToPos(mark.at, 'x', true));
    ctx.strokeStyle = ctx.fillStyle = trendColours.alert[mark.priority];
    ctx.lineWidth = 2 * px;
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x - 5 * px, bbox.top);
    ctx.lineTo(x + 5 * px, bbox.top);
    ctx.lineTo(x, bbox.top + 7 * px);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}
