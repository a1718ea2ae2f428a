import { type CodedError, defineErrors } from '../kernel/errors/defineErrors.ts';
import type { ErrorArea } from '../kernel/errors/errorsDoc.ts';

/**
 * Coded errors of the sync engine (SYNC_ERR_...), with their area of
 * docs/errors.md (#sync-to-the-hub). They reach people through
 * `GET /api/v1/sync`, `nilecare sync status`, the dead-letter table and the logs.
 */
export const syncErrorArea = {
  title: 'Sync to the hub',
  intro: [
    'The sync engine ([sync.md](sync.md)) reports these codes in `GET /api/v1/sync`',
    '(`lastError`, `deadLetters`), in `nilecare sync status` and in its log lines. None of',
    'them loses an event: the log keeps every event until the hub has acknowledged it.',
  ],
  codes: {
    SYNC_ERR_KAFKA_UNREACHABLE: {
      status: 503,
      message: 'Kafka brokers %s could not be reached: %s',
      meaning: 'no broker answered',
      solve: 'check the link and `NILECARE_KAFKA_BROKERS`; the engine retries by itself',
      readable: '`Kafka brokers <host:port,...> could not be reached: <kafkajs error>`',
      explanation: [
        'The engine could not connect to any of the brokers in `NILECARE_KAFKA_BROKERS`: the',
        'clinic is offline, the hub is down, or the address is wrong. Events keep being',
        'recorded and wait in the backlog; the engine tries again with exponential backoff',
        '(at most `NILECARE_SYNC_RECONNECT_MAX_MS`, 30 s by default).',
        '',
        '**How to solve:** usually nothing: the backlog drains, alerts first, when the link',
        "returns. If it lasts, check the clinic's internet link, then the address and port",
        "(`nc -vz <host> <port>` from the gateway), then that the hub's brokers run.",
      ],
    },
    SYNC_ERR_SEND_FAILED: {
      status: 503,
      message: 'Sending to Kafka failed (%s), retried after a backoff: %s',
      meaning: 'a send failed midway',
      solve: 'nothing, unless it repeats: then the code after it names the cause',
      readable: '`Sending to Kafka failed (<Kafka error code>), retried after a backoff: <detail>`',
      explanation: [
        'A batch was not acknowledged: the connection dropped midway, a broker restarted or',
        'lost leadership, a request timed out, or a topic does not exist. The same events',
        'are sent again (Kafka may then hold two copies of some; the hub keeps one).',
        '',
        '**How to solve:** nothing if it clears. If it repeats with the same code:',
        "`UNKNOWN_TOPIC_OR_PARTITION` means the hub's topics are missing (run",
        '`nilecare hub topics apply`, and check `NILECARE_SYNC_TOPIC_PREFIX`);',
        '`REQUEST_TIMED_OUT` on a slow link means raising `NILECARE_SYNC_REQUEST_TIMEOUT_MS` or',
        'lowering `NILECARE_SYNC_BATCH_MAX_BYTES`; `INVALID_TIMESTAMP` means the gateway clock is off from',
        "the broker's by more than the topic allows (an hour ahead by default): set the gateway's",
        "clock (`timedatectl`, NTP) and the backlog drains; authorisation errors go to the hub's operators.",
      ],
    },
    SYNC_ERR_RECORD_REJECTED: {
      status: 422,
      message: 'Kafka refused event seq %s for good (%s): kept in the local dead-letter table',
      meaning: 'Kafka refused one event for good',
      solve: "raise the topic's `max.message.bytes`, then re-send it (see below)",
      readable:
        '`Kafka refused event seq <n> for good (<Kafka error code>: <detail>): kept in the local dead-letter table`',
      explanation: [
        'Kafka refused one event in a way resending cannot fix, most often',
        "`MESSAGE_TOO_LARGE` (the event is larger than the topic's `max.message.bytes`). The",
        'engine isolated it, kept it in the local dead-letter table with the reason, told the',
        "hub's dead-letter topic which seq will not arrive and why (no clinical data in that",
        'notice), and went on with the rest of the lane. The event stays in the log, and',
        'retention never prunes it or anything after it.',
        '',
        '**How to solve:** see it in `nilecare sync status` or `GET /api/v1/sync`',
        "(`deadLetters`). Raise the topic's `max.message.bytes` on the hub (deploy/kafka), then",
        'have the developers re-send the event; until then the hub reports the hole in this',
        "gateway's seq with the reason from the notice.",
      ],
    },
    SYNC_ERR_WATERMARK_AHEAD: {
      status: 500,
      message: 'The hub-acknowledged watermark may not pass an event Kafka has not acknowledged: %s',
      meaning: 'something tried to mark unacknowledged events as acknowledged',
      solve: 'report a bug; never edit the sync tables',
      readable: '`The hub-acknowledged watermark may not pass an event Kafka has not acknowledged: <detail>`',
      explanation: [
        'The database refused to move the retention watermark past an event that no lane',
        'cursor has delivered (a trigger from migration 4). Only a bug or a hand edit of the',
        'sync tables can cause it; it protects unsynced events from retention.',
        '',
        '**How to solve:** stop the gateway, keep a copy of the data folder, and report it',
        "with the gateway's log. Never edit `sync_cursors` or `sync_retention` by hand.",
      ],
    },
  },
} satisfies ErrorArea;

export const syncErrorCodes = syncErrorArea.codes;
export type SyncErrorCode = keyof typeof syncErrorCodes;

const syncErrors = defineErrors('SyncError', syncErrorCodes);
export const SyncError = syncErrors.Error;
export type SyncError = CodedError<SyncErrorCode>;
export const isSyncError = syncErrors.is;
