import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HubError, type HubErrorCode, hubErrorCodes } from '../../hub/errors.ts';

const root = join(import.meta.dirname, '..', '..');
const errorsDoc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
const codes = Object.keys(hubErrorCodes) as HubErrorCode[];
const placeholders = (code: HubErrorCode) => hubErrorCodes[code].message.split('%s').length - 1;

/** The hub services' part of docs/errors.md: from its "## " heading to the next. */
const hubSection = (() => {
  const start = errorsDoc.indexOf('\n## Hub services');
  if (start < 0) return '';
  const end = errorsDoc.indexOf('\n## ', start + 1);
  return errorsDoc.slice(start, end < 0 ? undefined : end);
})();
const headings = [...hubSection.matchAll(/^### (HUB_ERR_[A-Z0-9_]+)\s*$/gm)].map((match) => match[1]!);
const summaryRows = [
  ...hubSection.matchAll(/^\| \[`(HUB_ERR_[A-Z0-9_]+)`\]\(#([a-z0-9_]+)\) \| (\d{3}) \|/gm),
].map((match) => ({ code: match[1]!, anchor: match[2]!, status: Number(match[3]) }));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `new HubError('HUB_ERR_X', [a, b, ...])` and `hubMessage(...)` in the sources, with how many arguments it passes. */
function constructions(): { code: string; args: number; where: string }[] {
  return ['hub', 'gateway', 'test/globalSetup'].flatMap((folder) =>
    sourceFiles(join(root, folder)).flatMap((path) => {
      const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
      const found: { code: string; args: number; where: string }[] = [];
      const visit = (node: ts.Node) => {
        const isHubError = ts.isNewExpression(node) && node.expression.getText(file) === 'HubError';
        const isMessage = ts.isCallExpression(node) && node.expression.getText(file) === 'hubMessage';
        if (isHubError || isMessage) {
          const [code, args] = (node as ts.NewExpression | ts.CallExpression).arguments ?? [];
          if (code && ts.isStringLiteral(code) && args && ts.isArrayLiteralExpression(args)) {
            const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
            found.push({
              code: code.text,
              args: args.elements.length,
              where: `${path.slice(root.length + 1)}:${line}`,
            });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      return found;
    }),
  );
}

describe('docs/errors.md, hub services', () => {
  it('has a "### CODE" section for every HUB_ERR code of hub/errors.ts', () => {
    expect(hubSection).not.toBe('');
    expect(codes.filter((code) => !headings.includes(code))).toEqual([]);
  });

  it('has no section for a code the catalogue does not have, and none twice', () => {
    expect(headings.filter((code) => !(code in hubErrorCodes))).toEqual([]);
    expect(headings.filter((code, index) => headings.indexOf(code) !== index)).toEqual([]);
  });

  it('lists every code once in the summary table, linked to its section, with the catalogue status', () => {
    expect(summaryRows.map((row) => row.code).sort()).toEqual([...codes].sort());
    for (const row of summaryRows) {
      expect(row.anchor, row.code).toBe(row.code.toLowerCase());
      expect(row.status, row.code).toBe(hubErrorCodes[row.code as HubErrorCode].status);
    }
  });

  it('gives every section a "How to solve" paragraph', () => {
    const sections = hubSection.split(/^### /m).slice(1);
    const unsolved = sections
      .filter((section) => !/\*\*How to solve[^*]*:\*\*/.test(section))
      .map((section) => section.split('\n')[0]);
    expect(unsolved).toEqual([]);
  });
});

describe('the hub error catalogue', () => {
  it('is constructed with as many arguments as its message has %s, wherever it is raised', () => {
    const found = constructions();
    expect(found.length).toBeGreaterThan(5);
    const mismatched = found.filter(
      ({ code, args }) => !(code in hubErrorCodes) || args !== placeholders(code as HubErrorCode),
    );
    expect(mismatched).toEqual([]);
  });

  it('fills each %s in order and leaves none behind', () => {
    for (const code of codes) {
      const args = Array.from({ length: placeholders(code) }, (_, index) => `arg${index}`);
      const error = new HubError(code, args);
      expect(error.message, code).not.toContain('%s');
      for (const arg of args) expect(error.message, code).toContain(arg);
      expect(error.statusCode).toBe(hubErrorCodes[code].status);
    }
  });
});
