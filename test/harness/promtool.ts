import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Runs Prometheus's `promtool` (Debian package `prometheus`, installed by
 * .ci/run). A missing promtool fails the test with how to get it.
 */
export function promtool(args: readonly string[], cwd: string): { ok: boolean; output: string } {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  if (found.status !== 0)
    throw new Error('promtool is not installed: apt-get install prometheus (.ci/run does it)');
  try {
    const output = execFileSync('promtool', args, { cwd, encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
