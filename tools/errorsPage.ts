import type { PageSection } from '../kernel/errors/errorsDoc.ts';

/**
 * The hand-written parts of docs/errors.md: everything the error tables do not
 * hold. tools/errorsDoc.ts puts them around the tables' areas.
 */

/** Between the page's title and its summary: the one mechanism, its five tables, where a code shows. */
export const errorsPageIntro = [
  'Every error NileCare Edge reports has a code, a message and an HTTP status. They come',
  'from one mechanism, `kernel/errors/defineErrors.ts`, and five tables built with it, one',
  'for each part of the system that raises them:',
  '',
  '| prefix | table | raised by |',
  '|---|---|---|',
  '| `GW_ERR_...` | `gateway/errors.ts`, one file per area below in `gateway/errors/` | the gateway, its device drivers and its commands |',
  "| `GW_ERR_PHI_KEY` | `kernel/phi/phiErrors.ts`, included in the gateway's table | the PHI cipher, on the gateway and on the hub |",
  "| `SYNC_ERR_...` | `sync/syncErrors.ts` | the sync engine, which sends the gateway's events to the hub |",
  "| `HUB_ERR_...` | `hub/errors.ts`, its codes in `hub/errors/` | the hub's services, APIs and commands |",
  '| `HUB_ERR_TOPICS_...`, `HUB_ERR_BROKERS_...` | `hub/topicAdmin/topicErrors.ts` | `nilecare hub topics` |',
  '',
  "Each code's entry in its table holds its section of this page: what it means and how",
  "to solve it, for whoever meets it: a nurse's screen or another API client, a field",
  "technician at the clinic, the hub's operators, or a developer. The page is generated",
  'from the tables (`npm run docs:errors`), and a test',
  '(`test/kernel/errors/errorCatalogues.unit.test.ts`) checks that it is up to date, that',
  'every code has one section with a "How to solve" paragraph and one summary row, and',
  'that every place that raises a code fills each `%s` of its message.',
  '',
  '**Where you see a code**',
  '',
  '- **HTTP API**: every error answer has the same shape, whatever went wrong:',
  '',
  '  ```json',
  '  { "code": "GW_ERR_REQUEST_INVALID", "message": "Request refused: body/firstName is required (rule: required)",',
  '    "statusCode": 400, "details": { "issues": [{ "field": "body/firstName", "rule": "required", "message": "body/firstName is required" }], "quarantineId": 12 } }',
  '  ```',
  '',
  '  `details.issues` names each field and the rule it broke; `details.quarantineId` is set when',
  '  the refused input was kept (sealed) in the quarantine, where `GET /api/v1/quarantine` lists it.',
  '  Refused writes are counted in `events_failed_total{channel="http",reason="<code>"}`.',
  "  The hub's APIs answer with a `HUB_ERR_...` code the same way; its FHIR API puts the code in",
  '  an OperationOutcome ([Hub services](#hub-services)).',
  '- **CLI** (`nilecare ...`, on the gateway and on the hub): `CODE: message` and a link to the',
  '  section below (`See docs/errors.md#<code>`), exit code 1. `nilecare verify` exits with 2 when',
  '  the chain is broken; `nilecare hub topics apply` exits with 2 or 3 as',
  '  [Kafka topics (hub)](#kafka-topics-hub) says.',
  '- **Devices** (MQTT): a device never sees a code; it sees a refused CONNACK, a closed',
  '  connection or a PUBACK. See [What a device sees](#what-a-device-sees). The gateway log,',
  '  `GET /api/v1/quarantine` and `events_failed_total{channel="mqtt"}` carry the code.',
  "- **Sync**: `GET /api/v1/sync`, `nilecare sync status` and the sync engine's log lines carry",
  '  the `SYNC_ERR_...` code ([Sync to the hub](#sync-to-the-hub)).',
  '- **Dead letters** (hub): a Kafka record the hub refuses goes to the dead-letter topic with its',
  '  `HUB_ERR_...` code in the `x-nilecare-reason-code` header ([Hub services](#hub-services)).',
  '- **Logs** (pino JSON) carry `code` on every refusal. Neither logs nor messages contain PHI.',
];

/** The MQTT outcome a device sees for each refusal; the Devices area's intro points to it as the next section. */
export const whatADeviceSees: PageSection = {
  title: 'What a device sees',
  body: [
    'MQTT 3.1.1 has no error codes after CONNACK, so a device sees one of these',
    'outcomes; the code is in the gateway log, the quarantine and',
    '`events_failed_total{channel="mqtt",reason=...}`. Full contract in [mqtt.md](mqtt.md).',
    '',
    '| the device sends | it sees | code on the gateway | what is stored |',
    '|---|---|---|---|',
    '| a valid reading, QoS 1 | PUBACK, only after the reading is committed to disk | — | the reading (and any alert it raises) |',
    '| the same reading again (same `seq`) | PUBACK | — | nothing new: stored once |',
    '| CONNECT with an unknown id, a wrong or no password | CONNACK refused, return code 4 | [`GW_ERR_DEVICE_AUTH`](#gw_err_device_auth) | nothing; counted |',
    '| CONNECT as a revoked device | CONNACK refused, return code 5 | [`GW_ERR_DEVICE_AUTH`](#gw_err_device_auth) | nothing; counted |',
    '| a payload that is not a valid reading | PUBACK after the quarantine record is committed (retrying would not help) | [`GW_ERR_PAYLOAD_INVALID`](#gw_err_payload_invalid) | the raw payload, sealed, in the quarantine |',
    '| a packet over the size limit | connection closed, no PUBACK | [`GW_ERR_PAYLOAD_TOO_LARGE`](#gw_err_payload_too_large) | a quarantine record with the size |',
    "| a publish to another device's or facility's topic | connection closed, no PUBACK | [`GW_ERR_DEVICE_TOPIC`](#gw_err_device_topic) | a quarantine record with the topic |",
    '| anything, while the gateway cannot commit (disk failure) | connection closed, no PUBACK: the device sends it again after reconnecting | none: the log says `reading not committed; no PUBACK` with the cause | nothing, until it succeeds |',
    "| CONNECT over TLS with a client certificate not from this gateway's CA, not registered, of a revoked device, or with another device's username | CONNACK refused, return code 5 | [`GW_ERR_DEVICE_CERT`](#gw_err_device_cert) | nothing; counted |",
  ],
};
