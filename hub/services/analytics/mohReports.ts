import cron, { type ScheduledTask } from 'node-cron';
import type { EventDraft } from '../../../kernel/events/envelope.ts';
import { eventDraft } from '../../../kernel/events/eventDraft.ts';
import type { IdSource } from '../../../kernel/events/ids.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import type { HubTopics } from '../../hubTopicNames.ts';
import { hubEventRecord } from '../../ingestGuard/complianceViolation.ts';
import { serviceTransaction, type TransactionDeps } from '../serviceRunner.ts';
import { previousQuarter, type Quarter, quarterlyFigures } from './mohQuarterlyFigures.ts';

export const mohReportType = 'quarterly_quality_metrics'; // the platform design's example reportType

export interface MohReport {
  reportId: string;
  facilityId: string;
  tenantId: string;
  reportType: string;
  reportingPeriod: string;
  periodStart: string;
  periodEnd: string;
  figures: ReturnType<typeof quarterlyFigures>['figures'];
  complianceStatus: string;
  overallScore: number;
  generatedAt: string;
}

export interface MohReports {
  /** Generates the quarter's report of each facility with events in it (or of one); existing ones are kept. */
  generate(quarter: Quarter, facilityId?: string): Promise<MohReport[]>;
  list(): Promise<MohReport[]>;
  get(reportId: string): Promise<MohReport | undefined>;
  /** Runs `generate(previousQuarter(now))` on the cron schedule. */
  start(): void;
  stop(): Promise<void>;
}

interface ReportRow {
  report_id: string;
  facility_id: string;
  tenant_id: string;
  report_type: string;
  reporting_period: string;
  period_start: Date;
  period_end: Date;
  figures: MohReport['figures'];
  compliance_status: string;
  overall_score: string;
  generated_at: Date;
}

const toReport = (row: ReportRow): MohReport => ({
  reportId: row.report_id,
  facilityId: row.facility_id,
  tenantId: row.tenant_id,
  reportType: row.report_type,
  reportingPeriod: row.reporting_period,
  periodStart: row.period_start.toISOString(),
  periodEnd: row.period_end.toISOString(),
  figures: row.figures,
  complianceStatus: row.compliance_status,
  overallScore: Number(row.overall_score),
  generatedAt: row.generated_at.toISOString(),
});

/**
 * The Ministry of Health quarterly report (the platform design, "Sudan-Specific Events"):
 * figures from the analytics counts, one row per facility and quarter in
 * moh_reports, and sudan_moh_report_generated through the outbox in the
 * same transaction. Two hubs on the same schedule make one report: the
 * unique (facility, type, period) lets only the first insert publish.
 */
export function createMohReports(deps: {
  serviceName: string;
  transaction: TransactionDeps;
  topics: HubTopics;
  newId: IdSource;
  version: string;
  cronExpression: string;
}): MohReports {
  let task: ScheduledTask | undefined;
  let running: Promise<unknown> | undefined;
  const { pool, logger } = deps.transaction;

  const generate = (quarter: Quarter, facilityId?: string) =>
    serviceTransaction(deps.serviceName, deps.transaction, async (ctx) => {
      const { rows } = await ctx.tx.query<{ facility_id: string; event_type: string; n: string }>(
        `SELECT facility_id, event_type, sum(count) AS n FROM analytics_event_counts
         WHERE window_start >= $1 AND window_start < $2 AND ($3::text IS NULL OR facility_id = $3)
         GROUP BY facility_id, event_type ORDER BY facility_id, event_type`,
        [quarter.start, quarter.end, facilityId ?? null],
      );
      const byFacility = new Map<string, Record<string, number>>();
      for (const row of rows) {
        const byType = byFacility.get(row.facility_id) ?? {};
        byType[row.event_type] = Number(row.n);
        byFacility.set(row.facility_id, byType);
      }
      if (facilityId && !byFacility.has(facilityId)) byFacility.set(facilityId, {});
      const reports: MohReport[] = [];
      for (const [facility, byType] of byFacility) {
        const tenant = await ctx.tx.query<{ tenant_id: string }>(
          'SELECT tenant_id FROM analytics_events WHERE facility_id = $1 LIMIT 1',
          [facility],
        );
        const { figures, overallScore, complianceStatus } = quarterlyFigures(byType);
        const inserted = await ctx.tx.query<ReportRow>(
          `INSERT INTO moh_reports (report_id, facility_id, tenant_id, report_type, reporting_period, period_start,
             period_end, figures, compliance_status, overall_score, generated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (facility_id, report_type, reporting_period) DO NOTHING RETURNING *`,
          [
            deps.newId(),
            facility,
            tenant.rows[0]?.tenant_id ?? facility,
            mohReportType,
            quarter.label,
            quarter.start,
            quarter.end,
            JSON.stringify(figures),
            complianceStatus,
            overallScore,
            ctx.now,
          ],
        );
        const row = inserted.rows[0];
        if (!row) continue;
        const report = toReport(row);
        await ctx.send(
          hubEventRecord(
            reportEvent(report, deps),
            deps.topics.of('sudan-compliance-events'),
            deps.serviceName,
          ),
        );
        reports.push(report);
      }
      return reports;
    });

  return {
    generate,
    async list() {
      const { rows } = await pool.query<ReportRow>(
        'SELECT * FROM moh_reports ORDER BY period_start DESC, facility_id',
      );
      return rows.map(toReport);
    },
    async get(reportId) {
      if (!/^[0-9a-f-]{36}$/i.test(reportId)) return undefined;
      const { rows } = await pool.query<ReportRow>('SELECT * FROM moh_reports WHERE report_id = $1', [
        reportId,
      ]);
      return rows[0] ? toReport(rows[0]) : undefined;
    },
    start() {
      task ??= cron.schedule(
        deps.cronExpression,
        () => {
          running ??= generate(previousQuarter(deps.transaction.clock()))
            .then((reports) => logger.info({ reports: reports.length }, 'MoH quarterly reports generated'))
            .catch((error: unknown) => logger.error({ err: error }, 'MoH quarterly report failed'))
            .finally(() => {
              running = undefined;
            });
        },
        { timezone: 'UTC', noOverlap: true },
      );
    },
    async stop() {
      await task?.stop();
      task = undefined;
      await running;
    },
  };
}

/** sudan_moh_report_generated, published by the compliance service (the platform design's publishers). */
function reportEvent(report: MohReport, deps: { newId: IdSource; version: string }): EventDraft {
  const draft = eventDraft(
    {
      eventId: deps.newId(),
      eventType: 'sudan_moh_report_generated',
      timestamp: report.generatedAt,
      facility: { facilityId: report.facilityId, tenantId: report.tenantId },
      source: 'compliance-service',
      sourceVersion: deps.version,
    },
    {
      reportId: report.reportId,
      reportType: report.reportType,
      reportingPeriod: report.reportingPeriod,
      complianceStatus: report.complianceStatus,
      overallScore: report.overallScore,
      generatedAt: report.generatedAt,
    },
  );
  const checked = validateDraft(draft);
  if (!checked.ok)
    throw new Error(`sudan_moh_report_generated is invalid: ${JSON.stringify(checked.issues)}`);
  return draft;
}
