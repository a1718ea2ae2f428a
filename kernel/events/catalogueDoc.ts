/**
 * Renders the event catalogue as Markdown for docs/events.md. The file is
 * generated (`npm run docs:events`) and a unit test fails when it differs
 * from this output, so the docs cannot drift from the catalogue.
 */
import { eventCatalogue } from './catalogue.ts';
import type { EventTypeSpec } from './eventTypeSpec.ts';
import { type TopicSpec, topicTable } from '../kafka/kafkaTopics.ts';

/** The command that regenerates docs/events.md; printed in the file and in the drift test's message. */
export const regenerateCommand = 'npm run docs:events';

const header = `# Event catalogue

<!-- Generated from kernel/events/ by \`${regenerateCommand}\`. Do not edit by hand. -->

Every fact in NileCare Edge is a \`ClinicalEvent\` appended to a gateway's log and
later synced to Kafka. The envelope (\`kernel/events/envelope.ts\`) is the platform design's
"Standard Event Structure": \`eventId\` (a UUIDv7, the one de-duplication key),
\`eventType\`, \`timestamp\` (when it happened), \`version\` (of the \`data\` schema,
"major.minor"), \`patientId\`, \`facilityId\`, \`tenantId\`, the acting user
(\`userId\`, \`userName\`, \`userRole\`), \`data\`, \`metadata\`, \`correlationId\`,
\`causationId\` and \`source\` (the publishing service). The gateway adds \`gatewayId\`,
\`seq\` (position in its log, no gaps), \`recordedAt\` (gateway clock) and \`hash\`
(SHA-256 over the previous event's hash and this event's canonical JSON).

An event is checked before it is appended (\`kernel/events/validateEvent.ts\`):
the envelope, the \`data\` schema of its type at the same major version, and the
rules of its subject and actor. Columns below:

- **lane**: sync priority when connectivity returns: \`alert\` first, then
  \`clinical\`, then \`telemetry\` and \`audit\`.
- **subject**: \`patient\` requires \`patientId\` (the Kafka key); \`facility\` forbids
  it (the key is \`facilityId\`); \`patientOrFacility\` uses \`patientId\` when known.
- **publishers**: the only \`source\` values the hub accepts for the type; others
  go to the dead-letter topic and raise \`compliance_violation_detected\`.
- **rules**: \`actor\`: the envelope must name the user; \`encrypted\`: fields of
  \`data\` that hold PHI and are encrypted field by field before they are stored.

## Adding or changing an event type

1. Edit the family's file in \`kernel/events/schemas/\` (or add one and list it
   in \`kernel/events/catalogue.ts\`): topic, lane, subject, publishers, a
   one-line description and a JSON Schema for \`data\` with
   \`additionalProperties: false\`.
2. Adding an optional field is a minor change (\`1.0\` to \`1.1\`). Removing or
   renaming a field, making one required, or narrowing a type is breaking: bump
   the major version (\`2.0\`); drafts of another major version are refused.
   So is making a required field optional or changing what one means: readers
   relied on it. When every event of the old major is still valid under the
   new schema (it only widened), list the old major in \`acceptsMajors\`: the
   hub then takes both while gateways upgrade one at a time (the version
   column shows "2.0 (also 1.x)").
3. Add a valid example to \`test/harness/exampleDrafts.ts\` (a test fails
   without one) and regenerate this file with \`${regenerateCommand}\`.
`;

/** Retention as the platform design writes it: "7 days", "7 years" (kafkaTopics.ts stores days, leap days included). */
function retention(days: number): string {
  const years = Math.round(days / 365.25);
  if (years >= 1 && Math.abs(days - years * 365.25) < 1)
    return `${years} year${years === 1 ? '' : 's'} (${days} days)`;
  return days === 1 ? '1 day' : `${days} days`;
}

/** Markdown table cell: pipes escaped, no line breaks. */
function cell(value: string): string {
  return value.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

function topicSummary(topics: readonly TopicSpec[]): string {
  const rows = topics.map((topic) => [
    `\`${topic.name}\``,
    String(topic.partitions),
    retention(topic.retentionDays),
    topic.producers.join(', '),
    topic.consumers.join(', '),
  ]);
  return table(
    ['topic', 'partitions', 'retention', 'producers (platform design)', 'consumers (platform design)'],
    rows,
  );
}

function rules(spec: EventTypeSpec): string {
  const notes: string[] = [];
  if (spec.actorRequired) notes.push('actor');
  if (spec.encryptedFields?.length) notes.push(`encrypted: ${spec.encryptedFields.join(', ')}`);
  return notes.join('; ');
}

function topicSection(topic: TopicSpec, specs: readonly EventTypeSpec[]): string {
  const title = `## \`${topic.name}\``;
  if (specs.length === 0) return `${title}\n\nNo event types yet.`;
  const rows = [...specs]
    // Code-unit order, not localeCompare: the file must be the same on every machine.
    .sort((a, b) => (a.eventType < b.eventType ? -1 : 1))
    .map((spec) => [
      `\`${spec.eventType}\``,
      spec.acceptsMajors
        ? `${spec.version} (also ${spec.acceptsMajors.map((major) => `${major}.x`).join(', ')})`
        : spec.version,
      spec.lane,
      spec.subject,
      spec.publishers.join(', '),
      rules(spec),
      spec.description,
    ]);
  return `${title}\n\n${table(['type', 'version', 'lane', 'subject', 'publishers', 'rules', 'description'], rows)}`;
}

/** The whole catalogue as Markdown: prose header, the topic table, then one table of event types per topic. */
export function renderCatalogueMarkdown(): string {
  const specs = [...eventCatalogue.values()];
  const sections = topicTable.map((topic) =>
    topicSection(
      topic,
      specs.filter((spec) => spec.topic === topic.name),
    ),
  );
  const count = `${specs.length} event types on ${topicTable.length} topics.`;
  return `${header}\n## Topics\n\n${count}\n\n${topicSummary(topicTable)}\n\n${sections.join('\n\n')}\n`;
}
