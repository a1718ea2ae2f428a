import { specOf } from '../../../kernel/events/catalogue.ts';

/**
 * The JSON Schema of one `data` field of a catalogue event type, for a route
 * body that passes the field through unchanged: the API then refuses what the
 * event would refuse, with a 400 naming the body field, and cannot drift from
 * the catalogue. Fails at start-up if the field is not there.
 */
export function catalogueField(eventType: string, field: string): Record<string, unknown> {
  const schema = specOf(eventType)?.dataSchema as
    | { properties?: Record<string, Record<string, unknown>> }
    | undefined;
  const property = schema?.properties?.[field];
  if (!property) throw new Error(`catalogue has no field ${field} in ${eventType}`);
  return structuredClone(property);
}
