import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';
import { regenerateCommand, renderCatalogueMarkdown } from '../../../kernel/events/catalogueDoc.ts';
import { topicNames } from '../../../kernel/kafka/kafkaTopics.ts';

const docPath = new URL('../../../docs/events.md', import.meta.url);

describe('docs/events.md', () => {
  it(`is exactly what the catalogue renders (run "${regenerateCommand}" after changing an event type)`, () => {
    const onDisk = readFileSync(docPath, 'utf8');
    // One message, not a 150-line diff, when only the hint matters.
    expect(onDisk === renderCatalogueMarkdown(), `docs/events.md is stale: run ${regenerateCommand}`).toBe(
      true,
    );
  });
});

describe('renderCatalogueMarkdown', () => {
  const markdown = renderCatalogueMarkdown();

  it('lists every event type in a row of its topic table', () => {
    for (const spec of eventCatalogue.values()) {
      const section = markdown.split(`## \`${spec.topic}\``)[1]?.split('\n## ')[0] ?? '';
      const accepted = spec.acceptsMajors?.map((major) => `${major}.x`).join(', ');
      const version = accepted ? `${spec.version} (also ${accepted})` : spec.version;
      expect(section).toContain(`| \`${spec.eventType}\` | ${version} | ${spec.lane} | ${spec.subject} |`);
    }
  });

  it('shows the earlier major versions a type still accepts beside its version', () => {
    expect(markdown).toContain('| `critical_value_detected` | 2.1 (also 1.x) |');
  });

  it('has a section for each of the ten topics, empty ones included, and the topic table with retention', () => {
    for (const topic of topicNames) expect(markdown).toContain(`## \`${topic}\``);
    expect(markdown).toContain('| `audit-events` | 16 | 7 years (2557 days) |');
    expect(markdown).toContain('| `patient-events` | 16 | 30 days |');
    expect(markdown).toContain('## `billing-events`\n\nNo event types yet.');
  });

  it('explains the envelope and how to add an event type, with the command that regenerates the file', () => {
    expect(markdown).toMatch(/^# Event catalogue\n/);
    expect(markdown).toContain('## Adding or changing an event type');
    expect(markdown).toContain(regenerateCommand);
  });

  it('renders the same text twice (stable order, no clock or locale)', () => {
    expect(renderCatalogueMarkdown()).toBe(markdown);
  });
});
