import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubTopicsError, type TopicErrorCode, topicErrorCodes } from '../../../hub/topicAdmin/topicErrors.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const errorsDoc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
const codes = Object.keys(topicErrorCodes) as TopicErrorCode[];
const placeholders = (code: TopicErrorCode) => topicErrorCodes[code].message.split('%s').length - 1;

/** The "## Kafka topics (hub)" section of docs/errors.md, up to the next "## " heading. */
const section = /^## Kafka topics \(hub\)\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(errorsDoc)?.[1] ?? '';
const headings = [...section.matchAll(/^### (HUB_ERR_[A-Z0-9_]+)\s*$/gm)].map((match) => match[1]!);
const summaryRows = [
  ...section.matchAll(/^\| \[`(HUB_ERR_[A-Z0-9_]+)`\]\(#([a-z0-9_]+)\) \| (\d{3}) \|/gm),
].map((match) => ({ code: match[1]!, anchor: match[2]!, status: Number(match[3]) }));

describe('docs/errors.md, section "Kafka topics (hub)"', () => {
  it('exists', () => {
    expect(section.length).toBeGreaterThan(0);
  });

  it('has a "### CODE" heading for every topics error code, and none for codes the catalogue lacks', () => {
    expect(codes.filter((code) => !headings.includes(code))).toEqual([]);
    expect(headings.filter((code) => !(code in topicErrorCodes))).toEqual([]);
  });

  it('lists every code once in its summary table, linked to its heading, with the catalogue status', () => {
    expect(summaryRows.map((row) => row.code).sort()).toEqual([...codes].sort());
    for (const row of summaryRows) {
      expect(row.anchor, row.code).toBe(row.code.toLowerCase());
      expect(row.status, row.code).toBe(topicErrorCodes[row.code as TopicErrorCode].status);
    }
  });

  it('gives every code a "How to solve" paragraph', () => {
    const sections = section.split(/^### /m).slice(1);
    const unsolved = sections
      .filter((text) => !/\*\*How to solve[^*]*:\*\*/.test(text))
      .map((text) => text.split('\n')[0]);
    expect(unsolved).toEqual([]);
  });
});

describe('the topics error catalogue', () => {
  it('fills each %s in order, leaves none behind, and carries the HTTP status', () => {
    for (const code of codes) {
      const args = Array.from({ length: placeholders(code) }, (_, index) => `arg${index}`);
      const error = new HubTopicsError(code, args);
      expect(error.message, code).not.toContain('%s');
      for (const arg of args) expect(error.message, code).toContain(arg);
      expect(error.statusCode, code).toBe(topicErrorCodes[code].status);
      expect(error.statusCode, code).toBeGreaterThanOrEqual(400);
    }
  });
});
