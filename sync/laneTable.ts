import { eventCatalogue } from '../kernel/events/catalogue.ts';
import type { SqliteDatabase } from '../gateway/pluginApi.ts';

/**
 * Copies each event type's lane from the catalogue into `sync_lane_of_type`,
 * which the append trigger reads (migration 4). Run at every gateway start, so
 * an event type added to the catalogue after the migration gets its lane; an
 * event of a type the table does not know is filed under `clinical`, the
 * middle lane: it neither overtakes alerts nor waits behind telemetry.
 */
export function refreshLaneTable(db: SqliteDatabase): void {
  const upsert = db.prepare(
    'INSERT INTO sync_lane_of_type (event_type, lane) VALUES (?, ?) ON CONFLICT (event_type) DO UPDATE SET lane = excluded.lane WHERE lane IS NOT excluded.lane',
  );
  db.transaction(() => {
    for (const spec of eventCatalogue.values()) upsert.run(spec.eventType, spec.lane);
  })();
}
