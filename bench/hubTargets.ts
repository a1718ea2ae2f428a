/**
 * The throughput targets of docs/benchmarks.md ("Hub services"): each
 * service's records/s as a ratio to the raw kafkajs loop of the same run, and
 * the ingest guard's also to the raw pg loop (bench/rawPgBaseline.ts).
 */
export const throughputTargets = {
  'ingest-guard': 0.25, // of the raw kafkajs loop; and guardToRawPg below
  fhir: 0.1,
  audit: 0.1,
  cds: 0.1,
  notifications: 0.1,
  analytics: 0.1,
} as const;
export const guardToRawPgTarget = 0.5;

/** One `{ ratio, target, pass }` per figure, for the bench's JSON line. */
export function serviceTargets(
  results: Record<string, { ratioToRawKafkajs: number }>,
  guardToRawPg: number,
): Record<string, { ratio: number | null; target: number; pass: boolean }> {
  const out: Record<string, { ratio: number | null; target: number; pass: boolean }> = {};
  for (const [name, target] of Object.entries(throughputTargets)) {
    const ratio = results[name]?.ratioToRawKafkajs ?? null;
    out[name] = { ratio, target, pass: ratio !== null && ratio >= target };
  }
  out['ingest-guard-to-raw-pg'] = {
    ratio: guardToRawPg,
    target: guardToRawPgTarget,
    pass: guardToRawPg >= guardToRawPgTarget,
  };
  return out;
}
