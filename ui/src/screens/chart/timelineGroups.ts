import type { TimelineEvent } from '../../model.ts';

/** A run of one monitor's readings within one hour, collapsed into one entry. */
export interface ReadingsGroup {
  kind: 'readings';
  deviceId: string;
  /** Newest first, as the timeline lists them. */
  events: TimelineEvent[];
  /** Start of the hour the readings fall in. */
  hour: string;
}

export type TimelineEntry = { kind: 'event'; event: TimelineEvent } | ReadingsGroup;

const HOUR_MS = 3_600_000;

/** The monitor of a device reading; undefined for anything else (a hand entry stands out on its own). */
function monitorOf(event: TimelineEvent): string | undefined {
  if (event.eventType !== 'vital_signs_recorded' || event.data.method !== 'device') return undefined;
  return typeof event.data.deviceId === 'string' ? event.data.deviceId : undefined;
}

const hourOf = (timestamp: string) =>
  new Date(Math.floor(Date.parse(timestamp) / HOUR_MS) * HOUR_MS).toISOString();

/**
 * The timeline with consecutive readings of one monitor in one hour as one
 * entry ("Vital signs · 240 readings from monitor-1, 13:00–14:00"), so the
 * admissions, medications, lab results and alerts between them stand out.
 * Only consecutive ones: an alert between two readings splits the run, so the
 * order of what happened is kept. A run of one stays a plain entry.
 */
export function groupedTimeline(events: readonly TimelineEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const deviceId = monitorOf(event);
    const previous = entries.at(-1);
    if (deviceId && previous) {
      const hour = hourOf(event.timestamp);
      if (previous.kind === 'readings' && previous.deviceId === deviceId && previous.hour === hour) {
        previous.events.push(event);
        continue;
      }
      if (
        previous.kind === 'event' &&
        monitorOf(previous.event) === deviceId &&
        hourOf(previous.event.timestamp) === hour
      ) {
        entries[entries.length - 1] = { kind: 'readings', deviceId, hour, events: [previous.event, event] };
        continue;
      }
    }
    entries.push({ kind: 'event', event });
  }
  return entries;
}
