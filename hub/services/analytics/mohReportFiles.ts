import type { MohReport } from './mohReports.ts';

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report's rows: header facts, then each figure, then each event type's count. */
function rows(report: MohReport): [string, string | number][] {
  const { eventsByType, ...figures } = report.figures;
  return [
    ['reportId', report.reportId],
    ['facilityId', report.facilityId],
    ['reportType', report.reportType],
    ['reportingPeriod', report.reportingPeriod],
    ['periodStart', report.periodStart],
    ['periodEnd', report.periodEnd],
    ['complianceStatus', report.complianceStatus],
    ['overallScore', report.overallScore],
    ['generatedAt', report.generatedAt],
    ...Object.entries(figures).map(([name, value]): [string, number] => [name, value]),
    ...Object.entries(eventsByType)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]): [string, number] => [`events.${type}`, n]),
  ];
}

/** The report as CSV: two columns, figure and value, CRLF line ends (RFC 4180). Pure. */
export function mohReportCsv(report: MohReport): string {
  return `${['figure,value', ...rows(report).map(([name, value]) => `${csvField(name)},${csvField(value)}`)].join('\r\n')}\r\n`;
}

const escapeHtml = (value: string | number) =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The report as a self-contained HTML page, bilingual title, printable to PDF from any browser. Pure. */
export function mohReportHtml(report: MohReport): string {
  const body = rows(report)
    .map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  const title = `Ministry of Health quarterly report — ${report.facilityId} — ${report.reportingPeriod}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:'Noto Sans','Noto Sans Arabic',sans-serif;margin:2em}table{border-collapse:collapse}
th,td{border:1px solid #999;padding:.3em .8em;text-align:start}th{font-weight:600}</style></head>
<body><h1>${escapeHtml(title)}</h1><p lang="ar" dir="rtl">تقرير وزارة الصحة الفصلي — ${escapeHtml(report.reportingPeriod)}</p>
<table><tbody>
${body}
</tbody></table></body></html>
`;
}
