import { describe, expect, it } from 'vitest';
import { unstorableCharacter, unstorableTextIssues } from '../../../kernel/events/storableText.ts';

describe('text an event may hold', () => {
  it('is any well-formed Unicode, Arabic and emoji included, with tabs and line breaks', () => {
    for (const text of ['Fatima Ahmed', 'آمنة عثمان', 'line one\nline two\r\n\tindented', '🩺 ok', ''])
      expect(unstorableCharacter(text)).toBeUndefined();
  });

  it('is never a NUL, another control character, DEL or a C1 control', () => {
    for (const [text, code] of [
      ['a\u0000b', 'U+0000'],
      ['\u0007', 'U+0007'],
      ['\u000B', 'U+000B'],
      ['\u001B[31m', 'U+001B'],
      ['\u007F', 'U+007F'],
      ['\u0085', 'U+0085'],
    ] as const)
      expect(unstorableCharacter(text)).toContain(`control character ${code}`);
  });

  it('is never half a character: a lone high or low surrogate', () => {
    expect(unstorableCharacter('Fatima\uD83D')).toBe('holds a lone UTF-16 surrogate (U+D83D) at character 6');
    expect(unstorableCharacter('\uDE00x')).toBe('holds a lone UTF-16 surrogate (U+DE00) at character 0');
    expect(unstorableCharacter('\uD83D\uDE00')).toBeUndefined();
  });
});

describe('the text issues of an event', () => {
  it('name every field at fault by its JSON pointer, in nested objects and arrays, keys included', () => {
    const issues = unstorableTextIssues({
      eventType: 'patient_registered',
      data: { firstName: 'Fat\u0000ima', aliases: ['ok', 'x\uD800'], 'bad\u0001key': 1, age: 3 },
    });
    expect(issues.map((issue) => [issue.field, issue.rule])).toEqual([
      ['/data/firstName', 'storable-text'],
      ['/data/aliases/1', 'storable-text'],
      ['/data/bad\uFFFDkey', 'storable-text'],
    ]);
  });

  it('never repeat the text itself, which may be PHI', () => {
    const [issue] = unstorableTextIssues({ data: { nationalId: 'SD739\u00001046285' } });
    expect(issue?.message).toBe('/data/nationalId holds the control character U+0000 at character 5');
  });
});
