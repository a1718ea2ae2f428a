import { readFileSync } from 'node:fs';
import { eventCatalogue } from '../../kernel/events/catalogue.ts';
import { compileSchema } from '../../kernel/events/validateEvent.ts';
import { HubError } from '../errors.ts';

/** Who may publish each event type (the platform design, "Event Authorization", `authorizedPublishers`). */
export type PublisherPolicy = ReadonlyMap<string, ReadonlySet<string>>;

/** The catalogue's publishers (kernel/events/schemas/*: `publishers`). */
export function cataloguePublishers(): PublisherPolicy {
  return new Map([...eventCatalogue.values()].map((spec) => [spec.eventType, new Set(spec.publishers)]));
}

/** `base` with the listed types replaced: an override names the whole list for its type. */
export function withOverrides(base: PublisherPolicy, overrides: Readonly<Record<string, readonly string[]>>) {
  const policy = new Map(base);
  for (const [eventType, sources] of Object.entries(overrides)) policy.set(eventType, new Set(sources));
  return policy as PublisherPolicy;
}

export function mayPublish(policy: PublisherPolicy, eventType: string, source: string): boolean {
  return policy.get(eventType)?.has(source) ?? false;
}

export function publishersOf(policy: PublisherPolicy, eventType: string): string[] {
  return [...(policy.get(eventType) ?? [])];
}

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['publishers'],
  properties: {
    publishers: {
      type: 'object',
      additionalProperties: {
        type: 'array',
        uniqueItems: true,
        items: { type: 'string', minLength: 1, maxLength: 64 },
      },
    },
  },
} as const;
const validateFile = compileSchema<{ publishers: Record<string, string[]> }>(fileSchema);

/**
 * Reads a publishers file: `{"publishers": {"<eventType>": ["<source>", ...]}}`.
 * Each listed type's publishers are replaced; a type not in the catalogue is
 * refused, since a misspelt type would silently change nothing.
 */
export function parsePublishersFile(text: string, path: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HubError('HUB_ERR_PUBLISHERS_FILE', [path, `not JSON: ${(error as Error).message}`]);
  }
  if (!validateFile(parsed)) {
    const error = validateFile.errors?.[0];
    throw new HubError('HUB_ERR_PUBLISHERS_FILE', [path, `${error?.instancePath || '/'} ${error?.message}`]);
  }
  const unknown = Object.keys(parsed.publishers).filter((eventType) => !eventCatalogue.has(eventType));
  if (unknown.length > 0)
    throw new HubError('HUB_ERR_PUBLISHERS_FILE', [
      path,
      `not in the event catalogue: ${unknown.join(', ')}`,
    ]);
  return parsed.publishers;
}

/** The catalogue's publishers, overridden by `path` when given. */
export function loadPublisherPolicy(path?: string): PublisherPolicy {
  if (path === undefined) return cataloguePublishers();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HubError('HUB_ERR_PUBLISHERS_FILE', [path, (error as Error).message]);
  }
  return withOverrides(cataloguePublishers(), parsePublishersFile(text, path));
}
