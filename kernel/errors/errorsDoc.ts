/**
 * Renders docs/errors.md from the error tables and the page's hand-written
 * parts. The file is generated (`npm run docs:errors`, tools/errorsDoc.ts
 * gathers the tables) and a unit test fails when it differs from this output,
 * so the page cannot drift from the codes, as docs/events.md cannot drift from
 * the event catalogue.
 */
import { type ErrorSpec, type ErrorTable, errorAnchor } from './defineErrors.ts';

/** The command that regenerates docs/errors.md; printed in the file and in the freshness test's message. */
export const regenerateErrorsDocCommand = 'npm run docs:errors';

/** Codes the page explains together under one `## title`, after an intro; each code gets a `### CODE` section. */
export interface ErrorArea {
  readonly title: string;
  /** Markdown, one line per element: who meets these codes, and where. */
  readonly intro: readonly string[];
  /** The area's codes, in the order of their sections. */
  readonly codes: ErrorTable;
}

/** A hand-written `## title` section of the page, with no codes of its own. */
export interface PageSection {
  readonly title: string;
  /** Markdown, one line per element. */
  readonly body: readonly string[];
}

export interface ErrorsPage {
  /** Markdown between the page's title and its summary table, one line per element. */
  readonly intro: readonly string[];
  /** The page's `##` sections in order: areas of codes and hand-written sections. */
  readonly parts: readonly (ErrorArea | PageSection)[];
}

function isArea(part: ErrorArea | PageSection): part is ErrorArea {
  return 'codes' in part;
}

/** Markdown table cell: pipes escaped, no line breaks. */
function cell(value: string): string {
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** One row per code of every area, in page order, each linked to its section. */
function summary(areas: readonly ErrorArea[]): string {
  const rows = areas.flatMap((area) =>
    Object.entries(area.codes).map(([code, spec]) =>
      row([`[\`${code}\`](#${errorAnchor(code)})`, String(spec.status), spec.meaning, spec.solve]),
    ),
  );
  return ['| code | HTTP | meaning | how to solve |', '|---|---|---|---|', ...rows].join('\n');
}

/** `### CODE`, the status and the message as people read it, then the explanation. */
function codeSection(code: string, spec: ErrorSpec): string[] {
  return [`### ${code}`, `**${spec.status}** · ${spec.readable}`, spec.explanation.join('\n')];
}

function partBlocks(part: ErrorArea | PageSection): string[] {
  if (!isArea(part)) return [`## ${part.title}`, part.body.join('\n')];
  return [
    `## ${part.title}`,
    ...(part.intro.length > 0 ? [part.intro.join('\n')] : []),
    ...Object.entries(part.codes).flatMap(([code, spec]) => codeSection(code, spec)),
  ];
}

/** docs/errors.md: the same text for the same input (no clock, no locale). */
export function renderErrorsDoc(page: ErrorsPage): string {
  const blocks = [
    '# Errors',
    `<!-- Generated from the error tables by \`${regenerateErrorsDocCommand}\`. Do not edit by hand. -->`,
    page.intro.join('\n'),
    '## Summary',
    summary(page.parts.filter(isArea)),
    ...page.parts.flatMap(partBlocks),
  ];
  return `${blocks.join('\n\n')}\n`;
}
