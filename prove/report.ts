import type { CampaignReport } from './campaign.ts';

/** The readable table printed before the JSON line: one row per campaign. */
export function reportTable(reports: readonly CampaignReport[]): string[] {
  const rows = reports.map((report) => [
    report.campaign,
    `${report.rounds.toLocaleString('en-US')} ${report.roundUnit}`,
    String(report.violations.length),
    `${Math.round(report.durationMs / 1000)} s`,
    Object.entries(report.figures)
      .map(([name, value]) => `${name} ${typeof value === 'number' ? value.toLocaleString('en-US') : value}`)
      .join(', '),
  ]);
  const header = ['campaign', 'rounds', 'violations', 'time', 'figures'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ');
  const out = [line(header), line(widths.map((width) => '-'.repeat(width)))];
  out.push(...rows.map(line));
  for (const report of reports) {
    for (const limitation of report.limitations) out.push(`${report.campaign}: limitation: ${limitation}`);
    for (const violation of report.violations.slice(0, 20)) {
      out.push(
        `${report.campaign}: VIOLATION round ${violation.round}: ${violation.guarantee}: ${violation.detail}`,
      );
    }
    if (report.violations.length > 20)
      out.push(`${report.campaign}: ... ${report.violations.length - 20} more`);
  }
  return out;
}

/** The JSON line that ends the output: every campaign's figures and `pass` (no violation). */
export function reportLine(seed: number, size: string, reports: readonly CampaignReport[]): string {
  return JSON.stringify({
    prove: size,
    seed,
    campaigns: Object.fromEntries(
      reports.map((report) => [
        report.campaign,
        {
          rounds: report.rounds,
          roundUnit: report.roundUnit,
          violations: report.violations.length,
          durationMs: report.durationMs,
          limitations: report.limitations,
          ...report.figures,
          pass: report.violations.length === 0,
        },
      ]),
    ),
    pass: reports.every((report) => report.violations.length === 0),
  });
}
