import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { anchorsOf, headingAnchor } from '../harness/markdownAnchors.ts';
import { repositoryRoot as root, sourceFiles } from '../harness/sourceTree.ts';

/**
 * Comments cite documents inside the repository, by anchor
 * (`docs/architecture.md#guarantee-3`), so a reader can open what they cite
 * (docs/architecture.md). This reads every comment of the sources and checks
 * that each cited document and anchor exists, and that no comment cites a
 * document that is not in the repository.
 */
const folders = ['kernel', 'gateway', 'drivers', 'sync', 'hub', 'ui', 'cli', 'bench', 'test', 'tools'];

/** Every comment of a source file, with its line. */
function commentsOf(file: string): { line: number; text: string }[] {
  const text = readFileSync(join(root, file), 'utf8');
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  const found: { line: number; text: string }[] = [];
  const lineOf = (position: number) => text.slice(0, position).split('\n').length;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      found.push({ line: lineOf(scanner.getTokenStart()), text: scanner.getTokenText() });
    }
  }
  return found;
}

const comments = folders.flatMap((folder) =>
  sourceFiles(folder).flatMap((file) => commentsOf(file).map((comment) => ({ file, ...comment }))),
);
const architecture = anchorsOf(readFileSync(join(root, 'docs', 'architecture.md'), 'utf8'));

describe('what comments cite', () => {
  it('reads the comments of every side of the project', () => {
    expect(comments.length).toBeGreaterThan(2000);
    expect(new Set(comments.map(({ file }) => file.split('/')[0])).size).toBeGreaterThanOrEqual(8);
  });

  it('names documents that exist, at anchors that exist', () => {
    const broken: string[] = [];
    for (const { file, line, text } of comments) {
      for (const match of text.matchAll(/\b((?:docs\/)?[\w-]+\.md)#([\w-]+)/g)) {
        const [, doc = '', anchor = ''] = match;
        const path = doc.startsWith('docs/') ? doc : relative(root, join(root, 'docs', doc));
        if (!existsSync(join(root, path))) {
          broken.push(`${file}:${line} cites ${doc}, which is not in docs/`);
        } else if (!anchorsOf(readFileSync(join(root, path), 'utf8')).has(anchor)) {
          broken.push(`${file}:${line} cites ${doc}#${anchor}, which has no such heading or anchor`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only guarantees that docs/architecture.md writes out', () => {
    const unknown: string[] = [];
    for (const { file, line, text } of comments) {
      for (const match of text.matchAll(/\bguarantees? ((?:\d+(?:, | and | or |-))*\d+)/gi)) {
        for (const number of (match[1] ?? '').split(/\D+/).filter(Boolean)) {
          if (!architecture.has(`guarantee-${number}`)) unknown.push(`${file}:${line} guarantee ${number}`);
        }
      }
    }
    expect(architecture.has('guarantee-1') && architecture.has('guarantee-8')).toBe(true);
    expect(unknown).toEqual([]);
  });

  it('never cites a document outside the repository: a design page, an issue, the platform source text', () => {
    const outside = comments
      .filter(({ text }) => /DESIGN\.md|\b[Ii]ssues? \d+|\bthe seed\b|\bseed's\b|\(seed\b|\bseed:/.test(text))
      .map(({ file, line, text }) => `${file}:${line} ${text.split('\n')[0]?.slice(0, 80)}`);
    expect(outside).toEqual([]);
  });

  it('would catch a broken citation', () => {
    expect(architecture.has('guarantee-9')).toBe(false);
    expect(architecture.has('the-import-rules')).toBe(true);
    expect(headingAnchor('Guarantee 3: nothing leaves before it is stored')).toBe(
      'guarantee-3-nothing-leaves-before-it-is-stored',
    );
  });
});
