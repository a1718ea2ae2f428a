/**
 * Reads one sample from Prometheus text exposition (what GET /metrics
 * returns): the metric whose name matches and whose labels include `labels`.
 * A sample that is not there reads as 0, as a counter not yet incremented.
 */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = parseLabels(match[2] ?? '');
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) total += Number(match[3]);
  }
  return total;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
    labels[match[1]!] = match[2]!;
  return labels;
}

/** GET /metrics from a gateway's real HTTP port. */
export async function scrapeMetrics(httpPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}
