import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../../harness/sourceTree.ts';

/**
 * Every event's `version` is the catalogue's (kernel/events/eventDraft.ts):
 * an envelope object literal, one with an `eventId` or `eventType` beside its
 * `version`, takes it from `catalogueVersion(...)` and nowhere else. The
 * catalogue's own declarations (kernel/events/schemas/) are where versions
 * are written down, so they are left out.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const sides = ['kernel', 'gateway', 'drivers', 'sync', 'hub', 'cli', 'ui'];
const catalogueDeclarations = 'kernel/events/schemas/';

interface Finding {
  file: string;
  line: number;
  /** The source text of the `version` property. */
  text: string;
}

const propertyName = (property: ts.ObjectLiteralElementLike): string | undefined =>
  property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
    ? property.name.text
    : undefined;

/**
 * A `version` taken from the catalogue (`catalogueVersion(...)`), or the
 * JSON Schema of the field (an object literal, as in the envelope's schema).
 */
function allowed(property: ts.ObjectLiteralElementLike): boolean {
  if (!ts.isPropertyAssignment(property)) return false;
  const value = property.initializer;
  if (ts.isObjectLiteralExpression(value)) return true;
  return (
    ts.isCallExpression(value) &&
    ts.isIdentifier(value.expression) &&
    value.expression.text === 'catalogueVersion'
  );
}

/** The `version` properties of envelope literals in `source` that do not come from the catalogue. */
function versionsOutsideCatalogue(file: string, source: string): Finding[] {
  const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const findings: Finding[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const names = node.properties.map(propertyName);
      const envelope = names.includes('eventId') || names.includes('eventType');
      for (const property of node.properties) {
        if (!envelope || propertyName(property) !== 'version' || allowed(property)) continue;
        const { line } = parsed.getLineAndCharacterOfPosition(property.getStart(parsed));
        findings.push({ file, line: line + 1, text: property.getText(parsed) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parsed);
  return findings;
}

const files = sides
  .flatMap((side) => sourceFiles(side))
  .filter((file) => !file.startsWith(catalogueDeclarations));

describe('the version of an event', () => {
  it('is read from the catalogue by every envelope in the sources', () => {
    expect(files.length).toBeGreaterThan(300);
    const findings = files.flatMap((file) =>
      versionsOutsideCatalogue(file, readFileSync(join(root, file), 'utf8')),
    );
    expect(findings).toEqual([]);
  });

  it('is caught when an envelope is written with a literal or a variable', () => {
    const source = `
      const a = { eventId: newId(), eventType: 'alert_resolved', version: '1.0', data };
      const b = { eventType, timestamp, version, data };
      const c = { eventType, version: spec.version };
      const d = { eventType, version: catalogueVersion(eventType) };
      const e = { info: { title: 'NileCare hub', version: '1.0.0' } };
      const f = { properties: { eventId: uuid, version: { type: 'string' } } };
    `;
    expect(
      versionsOutsideCatalogue('gateway/example.ts', source).map(({ line, text }) => [line, text]),
    ).toEqual([
      [2, "version: '1.0'"],
      [3, 'version'],
      [4, 'version: spec.version'],
    ]);
  });

  it('finds the one envelope factory itself, which reads the catalogue', () => {
    const factory = 'kernel/events/eventDraft.ts';
    expect(files).toContain(factory);
    const source = readFileSync(join(root, factory), 'utf8');
    expect(source).toContain('version: catalogueVersion(stamp.eventType)');
    expect(
      versionsOutsideCatalogue(factory, source.replace('catalogueVersion(stamp.eventType)', "'1.0'")),
    ).toHaveLength(1);
  });
});
