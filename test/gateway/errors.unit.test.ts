import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { GatewayError, type GatewayErrorCode, gatewayErrorCodes } from '../../gateway/errors.ts';

const root = join(import.meta.dirname, '..', '..');
const errorsDoc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
const codes = Object.keys(gatewayErrorCodes) as GatewayErrorCode[];
const placeholders = (code: GatewayErrorCode) => gatewayErrorCodes[code].message.split('%s').length - 1;

/** `### GW_ERR_...` headings: GitHub makes them the anchors `#gw_err_...` that the CLI prints. */
const headings = [...errorsDoc.matchAll(/^### (GW_ERR_[A-Z0-9_]+)\s*$/gm)].map((match) => match[1]!);
/** Summary rows: | [`GW_ERR_X`](#gw_err_x) | status | ... */
const summaryRows = [
  ...errorsDoc.matchAll(/^\| \[`(GW_ERR_[A-Z0-9_]+)`\]\(#([a-z0-9_]+)\) \| (\d{3}) \|/gm),
].map((match) => ({
  code: match[1]!,
  anchor: match[2]!,
  status: Number(match[3]),
}));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every `new GatewayError('GW_ERR_X', [a, b, ...])` in the sources, with how many arguments it passes. */
function constructions(): { code: string; args: number; where: string }[] {
  return ['gateway', 'drivers', 'sync', 'hub']
    .flatMap((folder) => {
      try {
        return sourceFiles(join(root, folder));
      } catch {
        return [];
      }
    })
    .flatMap((path) => {
      const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
      const found: { code: string; args: number; where: string }[] = [];
      const visit = (node: ts.Node) => {
        if (ts.isNewExpression(node) && node.expression.getText(file) === 'GatewayError') {
          const [code, args] = node.arguments ?? [];
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
    });
}

describe('docs/errors.md', () => {
  it('has a "### CODE" section for every code in the catalogue', () => {
    expect(codes.filter((code) => !headings.includes(code))).toEqual([]);
  });

  it('has no section for a code the catalogue does not have, and none twice', () => {
    expect(headings.filter((code) => !(code in gatewayErrorCodes))).toEqual([]);
    expect(headings.filter((code, index) => headings.indexOf(code) !== index)).toEqual([]);
  });

  it('lists every code once in the summary table, linked to its section, with the catalogue status', () => {
    expect(summaryRows.map((row) => row.code).sort()).toEqual([...codes].sort());
    for (const row of summaryRows) {
      expect(row.anchor, row.code).toBe(row.code.toLowerCase());
      expect(row.status, row.code).toBe(gatewayErrorCodes[row.code as GatewayErrorCode].status);
    }
  });

  it('gives every section a "How to solve" paragraph', () => {
    const sections = errorsDoc.split(/^### /m).slice(1);
    const unsolved = sections
      .filter((section) => !/\*\*How to solve[^*]*:\*\*/.test(section))
      .map((section) => section.split('\n')[0]);
    expect(unsolved).toEqual([]);
  });
});

describe('the error catalogue', () => {
  it('gives every code an HTTP error status and a message', () => {
    for (const code of codes) {
      expect(gatewayErrorCodes[code].status, code).toBeGreaterThanOrEqual(400);
      expect(gatewayErrorCodes[code].status, code).toBeLessThan(600);
      expect(gatewayErrorCodes[code].message.length, code).toBeGreaterThan(0);
    }
  });

  it('is constructed with as many arguments as its message has %s, wherever it is raised', () => {
    const found = constructions();
    expect(found.length).toBeGreaterThan(10);
    const mismatched = found.filter(
      ({ code, args }) => !(code in gatewayErrorCodes) || args !== placeholders(code as GatewayErrorCode),
    );
    expect(mismatched).toEqual([]);
  });

  it('fills each %s in order and leaves none behind', () => {
    for (const code of codes) {
      const args = Array.from({ length: placeholders(code) }, (_, index) => `arg${index}`);
      const error = new GatewayError(code, args);
      expect(error.message, code).not.toContain('%s');
      for (const arg of args) expect(error.message, code).toContain(arg);
      expect(error.statusCode).toBe(gatewayErrorCodes[code].status);
    }
  });
});
