/** Operations: health, metrics, the quarantine and the sync to the hub. */
import { dateTime } from './fields.ts';

/** Sync priority lanes, alerts first (docs/architecture.md#guarantee-5; kernel/events/eventTypeSpec.ts SyncLane). */
const syncLane = { type: 'string', enum: ['alert', 'clinical', 'telemetry', 'audit'] } as const;

/** Free space of the data folder and what the write path refuses because of it (storage/storageGuard.ts). */
export const storageView = {
  type: 'object',
  description: 'The nurse screen shows a banner from this block (docs/operations.md, "When the disk fills")',
  additionalProperties: false,
  required: ['state', 'freeBytes', 'lowWaterBytes', 'criticalBytes', 'refusing'],
  properties: {
    state: { type: 'string', enum: ['ok', 'low', 'critical'] },
    freeBytes: { type: 'number', description: 'null until the first measurement' },
    lowWaterBytes: { type: 'number' },
    criticalBytes: { type: 'number' },
    refusing: { type: 'array', items: syncLane, description: 'Lanes whose input is refused now' },
  },
} as const;

export const healthReply = {
  type: 'object',
  description: 'Alive, and a summary of the gateway',
  additionalProperties: false,
  required: ['status', 'gatewayId', 'facilityId', 'log', 'quarantined', 'uptimeSeconds', 'storage'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    gatewayId: { type: 'string' },
    facilityId: { type: 'string' },
    log: {
      type: 'object',
      additionalProperties: false,
      required: ['headSeq'],
      properties: { headSeq: { type: 'integer' } },
    },
    quarantined: { type: 'integer', description: 'Refused inputs kept for inspection' },
    uptimeSeconds: { type: 'integer' },
    storage: storageView,
  },
} as const;

/** Prometheus text: no JSON body, so the reply is described by its content type. */
export const metricsReply = {
  description: 'Prometheus metrics, text exposition format 0.0.4',
  content: { 'text/plain': { schema: { type: 'string' } } },
} as const;

export const quarantineReply = {
  type: 'object',
  description: 'The 200 newest refused inputs with their reason; the raw bytes stay sealed',
  additionalProperties: false,
  required: ['quarantined'],
  properties: {
    quarantined: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'receivedAt', 'channel', 'origin', 'code', 'reason', 'issues', 'rawSize'],
        properties: {
          id: { type: 'integer' },
          receivedAt: dateTime,
          channel: { type: 'string', description: 'mqtt, http, serial, tcp (ASTM over TCP), hl7, internal' },
          origin: { type: 'string', description: 'Device id, topic or route' },
          code: { type: 'string', description: 'GW_ERR_..., docs/errors.md' },
          reason: { type: 'string' },
          issues: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                field: { type: 'string' },
                rule: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
          rawSize: { type: 'integer', description: 'Bytes of the refused input' },
        },
      },
    },
  },
} as const;

const laneStatus = {
  type: 'object',
  additionalProperties: false,
  required: ['lane', 'deliveredThroughSeq', 'backlog', 'oldestUnsyncedAt'],
  properties: {
    lane: syncLane,
    deliveredThroughSeq: { type: 'integer', description: 'The last seq of the lane Kafka acknowledged' },
    backlog: { type: 'integer' },
    oldestUnsyncedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const deadLetter = {
  type: 'object',
  additionalProperties: false,
  required: [
    'seq',
    'eventId',
    'eventType',
    'lane',
    'topic',
    'recordBytes',
    'reasonCode',
    'reason',
    'failedAt',
    'hubNotified',
  ],
  properties: {
    seq: { type: 'integer' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    lane: syncLane,
    topic: { type: 'string' },
    recordBytes: { type: 'integer' },
    reasonCode: { type: 'string' },
    reason: { type: 'string' },
    failedAt: dateTime,
    hubNotified: { type: 'boolean' },
  },
} as const;

/** Whether what the clinic recorded has reached the hub (sync/syncStatus.ts, docs/sync.md). */
export const syncStatusReply = {
  type: 'object',
  description: 'Connection, backlog per lane, oldest unsynced, send rate, drain time, dead letters',
  additionalProperties: false,
  required: [
    'configured',
    'asOf',
    'engine',
    'brokers',
    'connected',
    'connectedChangedAt',
    'lastSuccessfulSendAt',
    'lastError',
    'headSeq',
    'acknowledgedThroughSeq',
    'prunedThroughSeq',
    'lanes',
    'backlog',
    'oldestUnsyncedAt',
    'oldestUnsyncedSeconds',
    'sendRate',
    'estimatedDrainSeconds',
    'deadLetters',
  ],
  properties: {
    configured: { type: 'boolean', description: 'Kafka brokers are configured' },
    asOf: dateTime,
    engine: { type: 'string', enum: ['running', 'stopped', 'not running'] },
    brokers: { type: 'array', items: { type: 'string' } },
    connected: { type: 'boolean' },
    connectedChangedAt: { type: ['string', 'null'], format: 'date-time' },
    lastSuccessfulSendAt: { type: ['string', 'null'], format: 'date-time' },
    lastError: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['code', 'message', 'at'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, at: dateTime },
    },
    headSeq: { type: 'integer' },
    acknowledgedThroughSeq: { type: 'integer', description: 'Every event up to here reached Kafka' },
    prunedThroughSeq: { type: 'integer', description: 'The last event retention pruned (0: none)' },
    lanes: { type: 'array', items: laneStatus },
    backlog: { type: 'integer' },
    oldestUnsyncedAt: { type: ['string', 'null'], format: 'date-time' },
    oldestUnsyncedSeconds: { type: ['number', 'null'] },
    sendRate: {
      type: 'object',
      additionalProperties: false,
      required: ['eventsPerSecond', 'bytesPerSecond'],
      properties: { eventsPerSecond: { type: 'number' }, bytesPerSecond: { type: 'number' } },
    },
    estimatedDrainSeconds: {
      type: ['number', 'null'],
      description: 'backlog / send rate; null while nothing moves, 0 when nothing waits',
    },
    deadLetters: {
      type: 'object',
      additionalProperties: false,
      required: ['count', 'recent'],
      properties: { count: { type: 'integer' }, recent: { type: 'array', items: deadLetter } },
    },
  },
} as const;
