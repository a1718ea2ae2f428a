import { describe, expect, it } from 'vitest';
import type { ErrorSpec } from '../../../kernel/errors/defineErrors.ts';
import {
  type ErrorsPage,
  regenerateErrorsDocCommand,
  renderErrorsDoc,
} from '../../../kernel/errors/errorsDoc.ts';

function spec(status: number, meaning: string): ErrorSpec {
  return {
    status,
    message: 'Ward "%s" is full',
    meaning,
    solve: 'admit to another ward',
    readable: '`Ward "<ward>" is full`',
    explanation: ['Every bed is taken.', '', '**How to solve:** admit to another ward.'],
  };
}

const page: ErrorsPage = {
  intro: ['Every error has a code.'],
  parts: [
    {
      title: 'Beds',
      intro: ['Met by the nurse.'],
      codes: { XX_ERR_WARD_FULL: spec(409, 'no bed is free | all held') },
    },
    { title: 'What a device sees', body: ['| sends | sees |', '|---|---|'] },
    { title: 'Keys', intro: [], codes: { XX_ERR_KEY: spec(500, 'the key is lost') } },
  ],
};

describe('renderErrorsDoc', () => {
  const markdown = renderErrorsDoc(page);

  it('starts with the title, the generated-file notice and the intro', () => {
    expect(markdown).toMatch(
      /^# Errors\n\n<!-- Generated .* Do not edit by hand\. -->\n\nEvery error has a code\.\n/,
    );
    expect(markdown).toContain(regenerateErrorsDocCommand);
  });

  it('lists every code of every area in one summary, linked to its section, pipes escaped', () => {
    expect(markdown).toContain(
      '## Summary\n\n| code | HTTP | meaning | how to solve |\n|---|---|---|---|\n' +
        '| [`XX_ERR_WARD_FULL`](#xx_err_ward_full) | 409 | no bed is free \\| all held | admit to another ward |\n' +
        '| [`XX_ERR_KEY`](#xx_err_key) | 500 | the key is lost | admit to another ward |\n',
    );
  });

  it('gives each code a section with its status, its readable message and its explanation, in page order', () => {
    expect(markdown).toContain(
      '## Beds\n\nMet by the nurse.\n\n### XX_ERR_WARD_FULL\n\n**409** · `Ward "<ward>" is full`\n\n' +
        'Every bed is taken.\n\n**How to solve:** admit to another ward.\n\n## What a device sees\n\n| sends | sees |\n|---|---|\n\n' +
        '## Keys\n\n### XX_ERR_KEY\n\n**500** · ',
    );
    expect(markdown.endsWith('**How to solve:** admit to another ward.\n')).toBe(true);
  });

  it('renders the same text twice', () => {
    expect(renderErrorsDoc(page)).toBe(markdown);
  });
});
