import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import { LiveFeed } from '../../../gateway/recording/liveFeed.ts';

const event = { eventId: 'e1', eventType: 'vital_signs_recorded', seq: 1 } as unknown as ClinicalEvent;

describe('the live feed', () => {
  it('delivers each committed event to every subscriber until it unsubscribes', () => {
    const feed = new LiveFeed();
    const seen: number[] = [];
    const stop = feed.subscribe((e) => seen.push(e.seq));
    feed.subscribe((e) => seen.push(e.seq * 10));
    feed.publish(event);
    stop();
    feed.publish({ ...event, seq: 2 });
    expect(seen).toEqual([1, 10, 20]);
  });

  it('reports a throwing listener and still delivers to the others', () => {
    const errors: unknown[] = [];
    const feed = new LiveFeed((error) => errors.push(error));
    const seen: number[] = [];
    feed.subscribe(() => {
      throw new Error('broken tab');
    });
    feed.subscribe((e) => seen.push(e.seq));
    expect(() => feed.publish(event)).not.toThrow();
    expect(seen).toEqual([1]);
    expect(errors).toHaveLength(1);
  });
});
