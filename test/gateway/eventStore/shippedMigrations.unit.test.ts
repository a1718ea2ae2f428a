import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../gateway/eventStore/migrations.ts';
import { eventCatalogue } from '../../../kernel/events/catalogue.ts';

/**
 * A migration that has shipped is never edited (gateway/eventStore/migrations.ts):
 * a gateway that already ran it would never see the change. Each one's SQL is
 * pinned here; a change to the schema is a new migration, with its hash added.
 */
const shipped: Record<number, string> = {
  1: 'deb301a5c62635eb89b69afb1a75bf7038fcd2736ba9d4dcf5b660e090316157',
  2: 'b7e4034e05f1b9a6c10d57c5192401ed5e07d8cd10a1460a7e0469783de10fc1',
  3: 'b40612b75cb880a6d8bf9c964ab0bda897a68718ee988ad28eb1506419cbe106',
  4: 'c57c5c81d69bb6609d20c3622fb8381c415091663063421b4570f7a09d398226',
  5: 'be6a495f21b987699be68c6055b86db148e83dee3302422c54850113b68f5d2e',
  6: '97f69c4d41a6f42956d65f94660fc17e2c6fffca9c2d84ec7b22bb06c1af30ab',
  7: '4709893df6cb17eef2299fd9a88af55ec6fa8fd334a737bb53378eef9815eaf2',
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the shipped migrations of the gateway database', () => {
  it('are numbered 1, 2, 3 ... with no gap, the plug-ins’ (sync 4, drivers 6) in their places', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
    expect(migrations[3]?.name).toMatch(/^sync lanes/);
    expect(migrations[5]?.name).toMatch(/^SMS outbox/);
  });

  it('keep the SQL they shipped with, byte for byte', () => {
    for (const migration of migrations) {
      const pinned = shipped[migration.version];
      if (pinned === undefined) continue; // a new migration: pin it once it ships
      expect(sha256(migration.sql), `migration ${migration.version} (${migration.name}) was edited`).toBe(
        pinned,
      );
    }
    expect(Object.keys(shipped).length).toBe(7);
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
