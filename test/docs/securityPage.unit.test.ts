import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const docsDir = resolve(root, 'docs');
const page = readFileSync(resolve(docsDir, 'security.md'), 'utf8');

/** Repository paths the page names in backticks (`gateway/...`, `test/...`, ...). */
const pathPattern = /`((?:gateway|hub|sync|drivers|ui|test|deploy|docs|bench)\/[A-Za-z0-9_./-]+)`/g;

/** A line may cite files main does not have yet only if it marks them as on a branch being merged. */
const onBranchMark = /\*\(branch `[a-z-]+`/;

interface Citation {
  path: string;
  names: string[];
  /** Marked as on a branch being merged: just before the path, or after its test names. */
  onBranch: boolean;
}

/** `path` › *test name*; *another name* ... up to the end of the table cell or line. */
function citations(): Citation[] {
  const found: Citation[] = [];
  for (const line of page.split('\n')) {
    for (const match of line.matchAll(pathPattern)) {
      const path = match[1] as string;
      const after = line.slice((match.index ?? 0) + match[0].length);
      const cited = /^ › ([^|]*?)(?:<br>|\||$)/.exec(after);
      const tail = cited?.[1] ?? '';
      const names = [...tail.matchAll(/\*([^*]+)\*/g)].map((m) => m[1] as string);
      const before = line.slice(Math.max(0, (match.index ?? 0) - 30), match.index);
      found.push({
        path,
        names: names.filter((name) => !name.startsWith('(branch')),
        onBranch: onBranchMark.test(before) || onBranchMark.test(tail),
      });
    }
  }
  return found;
}

describe('docs/security.md', () => {
  it('names only files that exist, apart from those it marks as on a branch being merged', () => {
    const cited = citations();
    expect(cited.length).toBeGreaterThan(50);
    for (const { path, onBranch } of cited) {
      if (existsSync(resolve(root, path.replace(/\/$/, '')))) continue;
      expect(onBranch, `${path} does not exist and is not marked as on a branch being merged`).toBe(true);
    }
  });

  it('cites each test by a name that is in its file', () => {
    const tests = citations().filter((citation) => citation.names.length > 0);
    expect(tests.length).toBeGreaterThan(30);
    for (const { path, names } of tests) {
      if (!existsSync(resolve(root, path))) continue; // on a branch, checked once merged
      const source = readFileSync(resolve(root, path), 'utf8');
      for (const name of names) expect(source, `${path} has no test named "${name}"`).toContain(name);
    }
  });

  it('links only to pages and sections that exist', () => {
    const links = [...page.matchAll(/\]\(([^)#\s]+\.md)?(?:#([^)]+))?\)/g)];
    expect(links.length).toBeGreaterThan(3);
    for (const match of links) {
      const file = match[1] ? resolve(docsDir, match[1]) : resolve(docsDir, 'security.md');
      expect(existsSync(file), `${match[1]}`).toBe(true);
      const anchor = match[2];
      if (!anchor) continue;
      const headings = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .map((line) =>
          line
            .replace(/^#+\s*/, '')
            .toLowerCase()
            .replace(/[^a-z0-9 _-]/g, '')
            .replace(/ /g, '-'),
        );
      expect(headings, `${match[1] ?? ''}#${anchor}`).toContain(anchor);
    }
  });

  it('covers each HIPAA technical safeguard of 164.312 and has a gaps list', () => {
    for (const heading of [
      /^### \(a\)\(1\) Access control/m,
      /^### \(b\) Audit controls/m,
      /^### \(c\)\(1\) Integrity/m,
      /^### \(d\) Person or entity authentication/m,
      /^### \(e\)\(1\) Transmission security/m,
      /^## Gaps, in one list/m,
    ])
      expect(page).toMatch(heading);
  });
});
