import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, from test/harness/. */
export const repositoryRoot = join(import.meta.dirname, '..', '..');

/** The TypeScript and JavaScript files under `dir` (relative to the root), build outputs and data left out. */
export function sourceFiles(dir: string, root = repositoryRoot): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['dist', 'node_modules', 'data'].includes(entry.name) ? [] : sourceFiles(path, root);
    }
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}
