/** Building blocks of the contract's schemas. */

/** Text a person types: not empty, at most `maxLength` characters. */
export const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

export const dateTime = { type: 'string', format: 'date-time' } as const;

/** A reply to a write: the events it appended to the log, in order (none when it repeated an earlier request). */
export const appendedEvents = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['eventId', 'eventType', 'seq'],
    properties: {
      eventId: { type: 'string', format: 'uuid' },
      eventType: { type: 'string' },
      seq: { type: 'integer', description: 'Position in the log' },
    },
  },
} as const;

/** What a write answers when it names nothing new: the events it appended. */
export const appendedReply = {
  type: 'object',
  description: 'The events appended to the log',
  additionalProperties: false,
  required: ['events'],
  properties: { events: appendedEvents },
} as const;
