/**
 * The chart's trend request (`GET /api/v1/patients/:id/vitals/trend?window=72h`)
 * over a ward of 1 Hz monitors: p95 over HTTP, beside a baseline measured in
 * the same run, the trend's SQL (gateway/trends/trendQuery.ts) straight on
 * better-sqlite3 over the same read-model table. One JSON line; `pass` when
 * the HTTP p95 is under 100 ms. Not part of the test suite.
 *
 * The vitalsMinutes read model is built by the projection's own `evolve`
 * from a generated 1 Hz stream per bed (the bulk path: the readings are not
 * appended to the log, which would take hours on the mini-PC for 13 million
 * readings; the request reads only the read model, so its figure is the same).
 *
 *   npm run bench:trend -- [beds] [hours] [requests]     (defaults 50 72 200)
 */
import { recordAdmittedPatient } from '../test/harness/admittedPatient.ts';
import { signInOverHttp } from '../test/harness/sessions.ts';
import { startTestGateway } from '../test/harness/testGateway.ts';
import type { ClinicalEvent } from '../kernel/events/envelope.ts';
import { trendWindows } from '../gateway/http/contract/trendWindows.ts';
import {
  type VitalsMinuteDoc,
  vitalsMinutesProjection,
  vitalsQuarterHoursProjection,
} from '../gateway/projections/vitalsMinutes.ts';
import { createTrendQuery } from '../gateway/trends/trendQuery.ts';
import { otherCpuPercent, sampleLoad } from './machineLoad.ts';
import { percentile } from './percentiles.ts';

const [beds = 50, hours = 72, requests = 200] = process.argv.slice(2).map(Number);
const targetP95Ms = 100;

/** A monitor's reading at second `s` of bed `bed`: slow waves, so minutes differ. */
function reading(bed: number, s: number, at: string, patientId: string): ClinicalEvent {
  const wave = Math.sin((s + bed * 977) / 1800);
  return {
    eventType: 'vital_signs_recorded',
    patientId,
    recordedAt: at,
    data: {
      method: 'device',
      deviceId: `monitor-${bed}`,
      measuredAt: at,
      oxygenSaturation: { value: Math.round(95 + 3 * wave), unit: '%' },
      heartRate: { value: Math.round(80 + 15 * wave), unit: '/min' },
      respiratoryRate: { value: Math.round(16 + 4 * wave), unit: '/min' },
      systolicBloodPressure: { value: Math.round(120 + 20 * wave), unit: 'mm[Hg]' },
    },
  } as unknown as ClinicalEvent;
}

async function main() {
  const gateway = await startTestGateway();
  const { db } = gateway.services;
  const now = gateway.services.clock().getTime();
  const start = now - hours * 3600_000;
  const patients = Array.from({ length: beds }, (_, bed) => `p-bench-${bed}`);
  for (const [bed, patientId] of patients.entries())
    await recordAdmittedPatient(gateway.services, {
      patientId,
      firstName: 'Bench',
      lastName: `Bed ${bed}`,
      ward: 'Bench',
      bed: `B${bed}`,
    });

  const built = performance.now();
  const put = db.prepare('INSERT OR REPLACE INTO projection_docs (projection, doc_id, doc) VALUES (?, ?, ?)');
  const summaries = [vitalsMinutesProjection, vitalsQuarterHoursProjection];
  let readings = 0;
  for (const [bed, patientId] of patients.entries()) {
    const docs = summaries.map(() => new Map<string, VitalsMinuteDoc>());
    for (let s = 0; s < hours * 3600; s++) {
      const event = reading(bed, s, new Date(start + s * 1000).toISOString(), patientId);
      summaries.forEach((projection, index) => {
        const [docId] = projection.docIdsOf(event);
        docs[index]!.set(docId!, projection.evolve(docs[index]!.get(docId!), event)!);
      });
      readings++;
    }
    db.transaction(() => {
      summaries.forEach((projection, index) => {
        for (const [docId, doc] of docs[index]!) put.run(projection.name, docId, JSON.stringify(doc));
      });
    })();
  }
  const buildSeconds = (performance.now() - built) / 1000;

  const { headers } = await signInOverHttp(gateway, 'nurse');
  const load = sampleLoad();
  const http: number[] = [];
  for (let i = 0; i < requests; i++) {
    const patientId = patients[i % beds]!;
    const began = performance.now();
    const response = await fetch(
      `http://127.0.0.1:${gateway.httpPort}/api/v1/patients/${patientId}/vitals/trend?window=72h`,
      { headers },
    );
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`trend answered ${response.status}`);
    http.push(performance.now() - began);
  }
  // Baseline: the same SQL straight on better-sqlite3 over the per-minute documents (what the chart read before
  // the quarter-hour read model), beside the route's answer from the quarter hours.
  const query = createTrendQuery(db, { projection: 'vitalsMinutes' });
  const { hours: windowHours, bucketSeconds } = trendWindows['72h'];
  const raw: number[] = [];
  for (let i = 0; i < requests; i++) {
    const subject = patients[i % beds]!;
    const to = new Date(gateway.services.clock().getTime());
    const from = new Date(to.getTime() - windowHours * 3600_000);
    const began = performance.now();
    query(subject, from, to, bucketSeconds);
    raw.push(performance.now() - began);
  }
  const otherCpu = otherCpuPercent(load, sampleLoad());
  const minutes = db
    .prepare("SELECT count(*) AS n FROM projection_docs WHERE projection = 'vitalsMinutes'")
    .get() as { n: number };
  await gateway.stop();

  const p = (samples: number[], fraction: number) =>
    Math.round(
      percentile(
        [...samples].sort((a, b) => a - b),
        fraction,
      ) * 100,
    ) / 100;
  const httpP95 = p(http, 0.95);
  console.log(
    JSON.stringify({
      bench: 'trendQuery',
      beds,
      hours,
      readings,
      minuteDocs: minutes.n,
      buildSeconds: Math.round(buildSeconds),
      requests,
      window: '72h',
      httpP50Ms: p(http, 0.5),
      httpP95Ms: httpP95,
      rawSqliteMinuteDocsP50Ms: p(raw, 0.5),
      rawSqliteMinuteDocsP95Ms: p(raw, 0.95),
      otherCpuPct: otherCpu,
      targetP95Ms,
      pass: httpP95 < targetP95Ms,
    }),
  );
}

await main();
