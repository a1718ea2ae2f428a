import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../gateway/eventStore/migrations.ts';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';

/**
 * A migration that has shipped is never edited (gateway/eventStore/migrations.ts):
 * a gateway that already ran it would never see the change. Each one's
 * statements are pinned here; a change to the schema is a new migration, with
 * its hash added.
 */
const shipped: Record<number, string> = {
  1: 'd0b9f06f558d6d589e2078358a58fa8cc1a1d3c5f3a389e4797c0b8dca440170',
  2: '77d4c491970e325e15822dd940e9ddb2ecdbc7b014480d2241f5100101d6d7de',
  3: '57c8107575ac62b5246f239e7ffbdc8fa7c74785f23b77393f07996fc57f6633',
  4: 'ca1fa22a25406d0cb3e806fba3bd5b2010418ccddf8a5a4220623b42a277657a',
  5: '006d14c87404bf44a2f8878aa6ae58575b67bf859dd5809d384c6b747e98271d',
  6: 'c7987c6f080497e40395360f11cb70335c93d922ff02d2626d78b6c1b3d634ba',
  7: 'd5c2bae377ad85832f85367b07ceb6992a26ff8d4c8437498fdeff919e08fb26',
  8: 'ed8618f5765b678459547dcd3d5088ebf4a988c1015244b0c6dca364606aff34',
  9: 'fc97bef1f207b16f4c92d6f88714ff6973d15d28c49c30d60e8e58057a6c5d00',
  10: 'e9d1858734236e2cc20e44f53288f84e3f7e9972332495e85dc9a68dda1911fc',
};

/**
 * What a migration runs: its SQL without `--` comments, white space folded.
 * A comment may be reworded (a citation that moved); a statement may not.
 */
const statementsOf = (sql: string) =>
  sql
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the shipped migrations of the gateway database', () => {
  it('are numbered 1, 2, 3 ... with no gap, the plug-ins’ (sync 4, drivers 6) in their places', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
    expect(migrations[3]?.name).toMatch(/^sync lanes/);
    expect(migrations[5]?.name).toMatch(/^SMS outbox/);
  });

  it('keep the statements they shipped with, to the character', () => {
    for (const migration of migrations) {
      const pinned = shipped[migration.version];
      if (pinned === undefined) continue; // a new migration: pin it once it ships
      expect(
        sha256(statementsOf(migration.sql)),
        `migration ${migration.version} (${migration.name}) was edited`,
      ).toBe(pinned);
    }
    expect(Object.keys(shipped).length).toBe(10);
  });

  it('would see one changed character in a statement, and not a reworded comment', () => {
    const sql = migrations[0]?.sql ?? '';
    expect(statementsOf(sql.replace('CREATE TABLE events', 'CREATE TABLE  events'))).toBe(statementsOf(sql));
    expect(statementsOf(sql.replace('-- The event log', '-- The log of events'))).toBe(statementsOf(sql));
    expect(sha256(statementsOf(sql))).toBe(shipped[1]);
    expect(sha256(statementsOf(sql.replace('CREATE TABLE events', 'CREATE TABLE eventz')))).not.toBe(
      shipped[1],
    );
  });

  it('write migration 4’s lane rows out as text, each an event type of the catalogue', () => {
    // sync/laneTable.ts copies later event types' lanes at every start; the migration stays as it was.
    const sql = migrations[3]?.sql ?? '';
    const listed = [...sql.matchAll(/\('([a-z_]+)', '(alert|clinical|telemetry|audit)'\)/g)].map(
      (match) => match[1],
    );
    expect(listed.length).toBeGreaterThan(40);
    for (const eventType of listed) expect(eventCatalogue.has(eventType ?? ''), eventType).toBe(true);
  });
});
