import { describe, expect, it } from 'vitest';
import {
  parseQuarter,
  previousQuarter,
  quarterlyFigures,
} from '../../../../hub/services/analytics/mohQuarterlyFigures.ts';
import { mohReportCsv, mohReportHtml } from '../../../../hub/services/analytics/mohReportFiles.ts';
import type { MohReport } from '../../../../hub/services/analytics/mohReports.ts';
import { windowStart } from '../../../../hub/services/analytics/tumblingWindow.ts';

describe('5-minute tumbling windows', () => {
  it('put an event in the window that starts at or before its time, and each window ends where the next starts', () => {
    expect(windowStart(new Date('2026-07-10T10:04:59.999Z')).toISOString()).toBe('2026-07-10T10:00:00.000Z');
    expect(windowStart(new Date('2026-07-10T10:05:00.000Z')).toISOString()).toBe('2026-07-10T10:05:00.000Z');
  });
});

describe('the MoH quarter', () => {
  it('is the quarter that ended before the run, and parses as the MoH writes it', () => {
    expect(previousQuarter(new Date('2026-10-01T06:00:00Z')).label).toBe('Q3 2026');
    expect(previousQuarter(new Date('2026-01-01T06:00:00Z')).label).toBe('Q4 2025');
    expect(parseQuarter('Q2 2026')).toEqual({
      label: 'Q2 2026',
      start: new Date('2026-04-01T00:00:00Z'),
      end: new Date('2026-07-01T00:00:00Z'),
    });
    expect(parseQuarter('2026-Q2')).toBeUndefined();
  });

  it('scores the share of critical values acknowledged, less 5 points per compliance violation', () => {
    const good = quarterlyFigures({ critical_value_detected: 10, alert_acknowledged: 10 });
    expect(good).toMatchObject({ overallScore: 100, complianceStatus: 'compliant' });
    const some = quarterlyFigures({
      critical_value_detected: 10,
      alert_acknowledged: 8,
      compliance_violation_detected: 1,
    });
    expect(some).toMatchObject({ overallScore: 75, complianceStatus: 'partially_compliant' });
    expect(some.figures).toMatchObject({ criticalValues: 10, alertAcknowledgementRate: 80, totalEvents: 19 });
    expect(quarterlyFigures({ critical_value_detected: 4 }).complianceStatus).toBe('non_compliant');
  });
});

describe('the report files', () => {
  const report: MohReport = {
    reportId: '0190a0b0-0000-7000-8000-000000000001',
    facilityId: 'khartoum-teaching',
    tenantId: 't',
    reportType: 'quarterly_quality_metrics',
    reportingPeriod: 'Q3 2026',
    periodStart: '2026-07-01T00:00:00.000Z',
    periodEnd: '2026-10-01T00:00:00.000Z',
    ...quarterlyFigures({ critical_value_detected: 2, alert_acknowledged: 2 }),
    generatedAt: '2026-10-01T06:00:00.000Z',
  };

  it('CSV: figure and value per line, CRLF, with a formula-looking cell defused', () => {
    const csv = mohReportCsv({ ...report, facilityId: '=HYPERLINK("x")' });
    expect(csv.startsWith('figure,value\r\nreportId,0190a0b0-0000-7000-8000-000000000001\r\n')).toBe(true);
    expect(csv).toContain('\r\nalertAcknowledgementRate,100\r\n');
    expect(csv).toContain('\r\nfacilityId,"\'=HYPERLINK(""x"")"\r\n');
  });

  it('HTML: a page with every figure, text escaped', () => {
    const html = mohReportHtml({ ...report, facilityId: '<script>' });
    expect(html).toContain('<th scope="row">criticalValues</th><td>2</td>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });
});
