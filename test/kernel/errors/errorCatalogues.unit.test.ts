import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { headingAnchor } from '../../harness/markdownAnchors.ts';
import { sourceFiles } from '../../harness/sourceTree.ts';
import { GatewayError, gatewayErrorAreas, gatewayErrorCodes } from '../../../gateway/errors.ts';
import { runningErrors } from '../../../gateway/errors/runningTheGateway.ts';
import { HubError, hubErrorArea, hubErrorCodes } from '../../../hub/errors.ts';
import { HubTopicsError, topicErrorArea, topicErrorCodes } from '../../../hub/topicAdmin/topicErrors.ts';
import {
  type CodedError,
  type CodedErrorClass,
  type ErrorSpec,
  placeholderCount,
} from '../../../kernel/errors/defineErrors.ts';
import { regenerateErrorsDocCommand } from '../../../kernel/errors/errorsDoc.ts';
import { PhiKeyError, phiErrorCodes } from '../../../kernel/phi/phiErrors.ts';
import { SyncError, syncErrorArea, syncErrorCodes } from '../../../sync/syncErrors.ts';
import { errorsDocMarkdown } from '../../../tools/errorsDoc.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const errorsDoc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');

/** One table built with defineErrors, and what the tests need to know of it. */
interface Catalogue {
  /** The identifier the sources construct: `new GatewayError('GW_ERR_X', [...])`. */
  className: string;
  table: Readonly<Record<string, ErrorSpec>>;
  raise: (code: string, args: readonly string[]) => CodedError;
  /** The `## ` areas of docs/errors.md that hold its codes' sections. */
  areas: readonly string[];
  /** Functions that fill one of its messages, checked like a construction: `hubMessage('HUB_ERR_X', [...])`. */
  messageFunctions: readonly string[];
  /** The scan of the sources must find at least this many places that raise one of its codes. */
  raisedAtLeast: number;
}

function catalogue<Code extends string>(
  className: string,
  table: Readonly<Record<Code, ErrorSpec>>,
  ErrorClass: CodedErrorClass<Code>,
  rest: Pick<Catalogue, 'areas' | 'messageFunctions' | 'raisedAtLeast'>,
): Catalogue {
  return { className, table, raise: (code, args) => new ErrorClass(code as Code, args), ...rest };
}

const catalogues: Catalogue[] = [
  catalogue('GatewayError', gatewayErrorCodes, GatewayError, {
    areas: gatewayErrorAreas.map((area) => area.title),
    messageFunctions: [],
    raisedAtLeast: 10,
  }),
  catalogue('PhiKeyError', phiErrorCodes, PhiKeyError, {
    areas: [runningErrors.title],
    messageFunctions: [],
    raisedAtLeast: 1,
  }),
  catalogue('SyncError', syncErrorCodes, SyncError, {
    areas: [syncErrorArea.title],
    messageFunctions: [],
    raisedAtLeast: 1,
  }),
  catalogue('HubError', hubErrorCodes, HubError, {
    areas: [hubErrorArea.title],
    messageFunctions: ['hubMessage'],
    raisedAtLeast: 5,
  }),
  catalogue('HubTopicsError', topicErrorCodes, HubTopicsError, {
    areas: [topicErrorArea.title],
    messageFunctions: [],
    raisedAtLeast: 1,
  }),
];

/** The page's `## ` sections: title and text up to the next one. */
const areaSections = errorsDoc
  .split(/^## /m)
  .slice(1)
  .map((section) => ({ title: section.slice(0, section.indexOf('\n')), text: section }));

/** `### CODE` headings, with the `## ` section each is under: GitHub makes them the anchors the CLI prints. */
const headings = areaSections.flatMap(({ title, text }) =>
  [...text.matchAll(/^### ([A-Z0-9_]+)\s*$/gm)].map((match) => ({ code: match[1]!, area: title })),
);

/** Each `### CODE` section's text, up to the next heading. */
const codeSections = new Map(
  errorsDoc
    .split(/^#{2,3} /m)
    .filter((section) => /^[A-Z0-9_]+\n/.test(section))
    .map((section) => [section.slice(0, section.indexOf('\n')), section] as const),
);

/** Rows of the one summary table: | [`CODE`](#code) | status | ... */
const summaryRows = [
  ...(areaSections.find(({ title }) => title === 'Summary')?.text ?? '').matchAll(
    /^\| \[`([A-Z0-9_]+)`\]\(#([a-z0-9_]+)\) \| (\d{3}) \|/gm,
  ),
].map((match) => ({ code: match[1]!, anchor: match[2]!, status: Number(match[3]) }));

const docAnchors = errorsDoc
  .split('\n')
  .filter((line) => /^#{1,6} /.test(line))
  .map((line) => headingAnchor(line.replace(/^#+\s*/, '')));

interface Raised {
  /** The class constructed or the message function called. */
  callee: string;
  code: string;
  args: number;
  where: string;
}

/** Every `new XError('CODE', [a, b, ...])` and `fn('CODE', [a, b, ...])` of the callees asked for, in the sources. */
function raisedInSources(callees: ReadonlySet<string>): Raised[] {
  return ['gateway', 'drivers', 'sync', 'hub', 'kernel', 'cli', 'test/globalSetup']
    .flatMap((folder) => sourceFiles(folder).map((file) => join(root, file)))
    .flatMap((path) => {
      const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
      const found: Raised[] = [];
      const visit = (node: ts.Node) => {
        if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
          const callee = node.expression.getText(file);
          const [code, args] = node.arguments ?? [];
          if (
            callees.has(callee) &&
            code &&
            ts.isStringLiteral(code) &&
            args &&
            ts.isArrayLiteralExpression(args)
          ) {
            const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
            found.push({
              callee,
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

const raised = raisedInSources(
  new Set(catalogues.flatMap(({ className, messageFunctions }) => [className, ...messageFunctions])),
);

describe('docs/errors.md', () => {
  it(`is exactly what the error tables render (run "${regenerateErrorsDocCommand}" after changing a code)`, () => {
    // One message, not a 1,500-line diff, when only the hint matters.
    expect(
      errorsDoc === errorsDocMarkdown(),
      `docs/errors.md is stale: run ${regenerateErrorsDocCommand}`,
    ).toBe(true);
  });

  it('has no section for a code no table has, and none twice', () => {
    const known = new Set(catalogues.flatMap(({ table }) => Object.keys(table)));
    const codes = headings.map(({ code }) => code);
    expect(codes.filter((code) => !known.has(code))).toEqual([]);
    expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
  });

  it('has one summary table listing every code of every table once', () => {
    const known = [...new Set(catalogues.flatMap(({ table }) => Object.keys(table)))].sort();
    expect(summaryRows.map(({ code }) => code).sort()).toEqual(known);
  });

  it('links only to sections it has', () => {
    const links = [...errorsDoc.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(100);
    expect(links.filter((anchor) => !docAnchors.includes(anchor))).toEqual([]);
  });

  it('keeps every section the other pages link to', () => {
    const docsDir = join(root, 'docs');
    const linked = readdirSync(docsDir)
      .filter((name) => name.endsWith('.md'))
      .flatMap((name) =>
        [...readFileSync(join(docsDir, name), 'utf8').matchAll(/errors\.md#([a-z0-9_-]+)/g)].map((match) => ({
          page: name,
          anchor: match[1]!,
        })),
      );
    expect(linked.length).toBeGreaterThan(5);
    expect(linked.filter(({ anchor }) => !docAnchors.includes(anchor))).toEqual([]);
  });
});

describe('the error tables together', () => {
  it('never give one code to two tables, but for the PHI code the gateway table includes', () => {
    const owners = new Map<string, string[]>();
    for (const { className, table } of catalogues)
      for (const code of Object.keys(table)) owners.set(code, [...(owners.get(code) ?? []), className]);
    const shared = [...owners].filter(([, classes]) => classes.length > 1);
    expect(shared).toEqual([['GW_ERR_PHI_KEY', ['GatewayError', 'PhiKeyError']]]);
    expect(gatewayErrorCodes.GW_ERR_PHI_KEY).toBe(phiErrorCodes.GW_ERR_PHI_KEY);
  });
});

describe.each(catalogues)('the $className table', (catalogue) => {
  const { className, table } = catalogue;
  const codes = Object.keys(table);

  it('gives every code an HTTP error status (4xx or 5xx) and a message', () => {
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect(table[code]!.status, code).toBeGreaterThanOrEqual(400);
      expect(table[code]!.status, code).toBeLessThan(600);
      expect(table[code]!.message.length, code).toBeGreaterThan(0);
    }
  });

  it('fills each %s of a message in order, leaves none behind, and carries the status', () => {
    for (const code of codes) {
      const args = Array.from(
        { length: placeholderCount(table[code]!.message) },
        (_, index) => `arg${index}`,
      );
      const error = catalogue.raise(code, args);
      expect(error.message, code).not.toContain('%s');
      let from = 0;
      for (const arg of args) {
        const at = error.message.indexOf(arg, from);
        expect(at, `${code}: ${arg} in order`).toBeGreaterThanOrEqual(from);
        from = at + arg.length;
      }
      expect(error.code, code).toBe(code);
      expect(error.statusCode, code).toBe(table[code]!.status);
    }
  });

  it('is raised with its own codes only, each with as many arguments as its message has %s', () => {
    const callees = new Set([className, ...catalogue.messageFunctions]);
    const found = raised.filter(({ callee }) => callees.has(callee));
    expect(found.length).toBeGreaterThanOrEqual(catalogue.raisedAtLeast);
    const mismatched = found.filter(
      ({ code, args }) => !(code in table) || args !== placeholderCount(table[code]!.message),
    );
    expect(mismatched).toEqual([]);
  });

  it('gives every code one "### CODE" section of docs/errors.md, under its own areas', () => {
    for (const code of codes) {
      const found = headings.filter((heading) => heading.code === code);
      expect(found.length, code).toBe(1);
      expect(catalogue.areas, code).toContain(found[0]?.area);
    }
  });

  it('gives every code a "How to solve" paragraph, in its table and on the page', () => {
    const howToSolve = /\*\*How to solve[^*]*:\*\*/;
    for (const code of codes) {
      expect(table[code]!.explanation.join('\n'), code).toMatch(howToSolve);
      expect(codeSections.get(code), code).toMatch(howToSolve);
      expect(codeSections.get(code), code).toContain(`**${table[code]!.status}** · ${table[code]!.readable}`);
    }
  });

  it('lists every code once in the summary table, linked to its section, with the table status', () => {
    for (const code of codes) {
      const rows = summaryRows.filter((row) => row.code === code);
      expect(rows.length, code).toBe(1);
      expect(rows[0]?.anchor, code).toBe(code.toLowerCase());
      expect(rows[0]?.status, code).toBe(table[code]!.status);
    }
  });

  it('gives every code a one-line meaning and how to solve for the summary', () => {
    for (const code of codes) {
      for (const line of [table[code]!.meaning, table[code]!.solve, table[code]!.readable]) {
        expect(line.trim().length, code).toBeGreaterThan(0);
        expect(line, code).not.toContain('\n');
      }
    }
  });
});
