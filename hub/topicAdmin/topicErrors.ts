import { type CodedError, defineErrors } from '../../kernel/errors/defineErrors.ts';
import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * Coded errors of `nilecare hub topics` (HUB_ERR_TOPICS_..., HUB_ERR_BROKERS_...).
 * A small table of its own beside the hub's (hub/errors.ts), so the two never
 * collide, with its area of docs/errors.md (#kafka-topics-hub).
 */
export const topicErrorArea = {
  title: 'Kafka topics (hub)',
  intro: [
    '`nilecare hub topics apply` (see [operations.md, "Kafka topics"](operations.md#kafka-topics))',
    'prints these as `HUB_ERR_...: message` on stderr after its table. Exit codes: 0 the cluster',
    'matches the file; 2 a `--dry-run` found changes to make; 3 drift remains that needs a person',
    '(`HUB_ERR_TOPICS_DRIFT`); 1 anything else below. The catalogue is `hub/topicAdmin/topicErrors.ts`.',
  ],
  codes: {
    HUB_ERR_TOPICS_FILE_UNREADABLE: {
      status: 500,
      message: 'Topics file %s could not be read: %s',
      meaning: 'the topics file could not be read',
      solve: 'check the `--file` path and its permissions',
      readable: '`Topics file <path> could not be read: <reason>`',
      explanation: [
        'The file given with `--file` (by default `deploy/kafka/topics.json` of this checkout) is',
        'missing or cannot be opened.',
        '',
        '**How to solve:** check the path and that the user running `nilecare` may read it. Without',
        '`--file`, restore `deploy/kafka/topics.json` from the repository.',
      ],
    },
    HUB_ERR_TOPICS_FILE_INVALID: {
      status: 500,
      message: 'Topics file %s is invalid: %s',
      meaning: 'the topics file is not JSON or breaks its schema',
      solve: 'fix the fields the message names',
      readable: '`Topics file <path> is invalid: <fields and rules>`',
      explanation: [
        'The file is not JSON, breaks `deploy/kafka/topics.schema.json` (an unknown field, a missing',
        "`retentionDays`, partitions below 1, a setting such as `retention.ms` repeated in a topic's",
        'free-form `config`), lists a topic twice, or has a profile whose `minInsyncReplicas` is above',
        'its `replicationFactor` (every `acks=all` write would be refused). Nothing was changed on',
        'the cluster.',
        '',
        '**How to solve:** fix each field the message names (they are JSON pointers, such as',
        "`/topics/2/retentionDays`). An editor that reads the file's `$schema` shows the same",
        'mistakes as you type.',
      ],
    },
    HUB_ERR_TOPICS_PROFILE_UNKNOWN: {
      status: 400,
      message: 'Profile "%s" is not in %s (it has: %s)',
      meaning: '`--profile` names a profile the file lacks',
      solve: 'use `dev` or `deploy`, or add the profile',
      readable: '`Profile "<name>" is not in <path> (it has: <profiles>)`',
      explanation: [
        '`--profile` names a cluster shape the topics file does not define.',
        '',
        '**How to solve:** use `--profile dev` (one broker: replication 1) or `--profile deploy`',
        '(three brokers: replication 3, `min.insync.replicas=2`), or add the profile to the file.',
      ],
    },
    HUB_ERR_TOPICS_PREFIX_INVALID: {
      status: 400,
      message: 'Topic prefix "%s" is invalid: %s',
      meaning: '`--prefix` would make illegal topic names',
      solve: 'letters, digits, `.`, `_`, `-` only; keep it short',
      readable: '`Topic prefix "<prefix>" is invalid: <reason>`',
      explanation: [
        'Kafka topic names may hold only letters, digits, `.`, `_` and `-`, and at most 249',
        'characters; the prefix goes before every name in the file.',
        '',
        '**How to solve:** choose a shorter prefix from those characters, such as `staging.`.',
      ],
    },
    HUB_ERR_BROKERS_UNREACHABLE: {
      status: 503,
      message: 'No Kafka broker answered at %s: %s',
      meaning: 'no Kafka broker answered',
      solve: 'start Kafka or point `--brokers` at it',
      readable: '`No Kafka broker answered at <brokers>: <reason>`',
      explanation: [
        'No broker in the list accepted a connection (each is tried, with retries, for a few',
        'seconds), or the connection dropped during apply. Topics already changed stay changed;',
        'running apply again finishes the job.',
        '',
        '**How to solve:** start Kafka (for development: `deploy/dev/kafka.sh start`, which prints',
        '`KAFKA_BROKERS=...`), then pass its address with `--brokers host:port` or set',
        '`NILECARE_KAFKA_BROKERS`. Without either, apply uses `127.0.0.1:9092`. Check firewalls',
        "and that the broker's `advertised.listeners` is reachable from this machine.",
      ],
    },
    HUB_ERR_TOPICS_APPLY_FAILED: {
      status: 502,
      message: 'Kafka refused %s change(s): %s',
      meaning: 'Kafka refused a change, or did not show it after apply',
      solve: "read Kafka's reason in the message; fix and run again",
      readable: "`Kafka refused <n> change(s): <topic> <action>: <Kafka's reason>; ...`",
      explanation: [
        'Kafka answered but refused a change (for example `POLICY_VIOLATION` from a create-topic',
        'policy, `TOPIC_AUTHORIZATION_FAILED` without the ACL to create or alter topics, or',
        '`INVALID_CONFIG`), or a change did not show on the cluster within 10 s of apply. The other',
        'changes went ahead; the table marks the refused topic `failed`.',
        '',
        "**How to solve:** read Kafka's reason in the message. Grant the `CREATE`, `ALTER` and",
        '`ALTER_CONFIGS` operations on the topics (or the cluster) to the client, correct the value',
        "in the file, or ask whoever owns the cluster's policies. Then run apply again: it only",
        'makes the changes still missing.',
      ],
    },
    HUB_ERR_TOPICS_DRIFT: {
      status: 409,
      message: '%s topic(s) differ from the file in ways apply does not change: %s',
      meaning: 'the cluster differs in ways apply does not change',
      solve: "follow the table's details for each topic",
      readable: '`<n> topic(s) differ from the file in ways apply does not change: <topics>`',
      explanation: [
        "Exit code 3. Apply has made every change it can; what is left needs a person. The table's",
        'details say which, per topic:',
        '',
        '- `not created: replication factor 3 needs 3 brokers, the cluster has 1`: the deploy',
        '  profile against a smaller cluster (for example the single development broker). Nothing',
        '  was created with fewer replicas than asked.',
        '- `replication factor 1, file wants 3`: changing it moves data between brokers.',
        "- `min.insync.replicas 2 not set: above the topic's replication factor 1`: applying it",
        '  would make every `acks=all` write fail, so it waits until the replication factor is right.',
        '- `20 partitions, file wants 16`: Kafka cannot remove partitions.',
        '- `max.message.bytes=... is set on the cluster but not in the file`: someone set it by hand;',
        '  apply keeps it.',
        '',
        '**How to solve:** for a too-small cluster, run with the profile that fits it',
        '(`--profile dev` on one broker) or add brokers. For replication, write a reassignment plan',
        'and run `kafka-reassign-partitions.sh --execute` (see operations.md), then apply again to',
        "set `min.insync.replicas`. For too many partitions, change the file to the cluster's count",
        'or, on a topic whose data can go, delete and re-create it. For a hand-set config, add it',
        "to the topic's `config` in the file (it is then managed) or remove it with",
        '`kafka-configs.sh --alter --delete-config <name>`.',
      ],
    },
    HUB_ERR_TOPICS_PROFILE_MISSING: {
      status: 400,
      message:
        'No profile given: pass --profile (%s) or set NILECARE_HUB_TOPICS_PROFILE; the replication of every topic depends on it',
      meaning: 'no `--profile` and no `NILECARE_HUB_TOPICS_PROFILE`',
      solve: 'say which cluster shape: `--profile dev` or `--profile deploy`',
      readable:
        '`No profile given: pass --profile (<profiles>) or set NILECARE_HUB_TOPICS_PROFILE; the replication of every topic depends on it`',
      explanation: [
        '`nilecare hub topics apply` was run without `--profile` and without',
        '`NILECARE_HUB_TOPICS_PROFILE`. There is no default on purpose: `dev` on a production cluster',
        'would plan topics with one copy of each record. Nothing was changed, and Kafka was not contacted.',
        '',
        '**How to solve:** add `--profile deploy` for the three-broker cluster or `--profile dev` for a',
        "single development broker, or set `NILECARE_HUB_TOPICS_PROFILE` in that machine's environment.",
      ],
    },
  },
} satisfies ErrorArea;

export const topicErrorCodes = topicErrorArea.codes;
export type TopicErrorCode = keyof typeof topicErrorCodes;

const topicErrors = defineErrors('HubTopicsError', topicErrorCodes);

/** An error with a code from the table above; `details` carries structured facts. */
export const HubTopicsError = topicErrors.Error;
export type HubTopicsError = CodedError<TopicErrorCode>;
export const isHubTopicsError = topicErrors.is;
