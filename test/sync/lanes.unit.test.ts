import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../kernel/events/catalogue.ts';
import { pickLane, type SyncLane, syncLanes } from '../../sync/lanes.ts';

const pending = (...lanes: SyncLane[]) => new Set(lanes);

describe('choosing the lane to send from next', () => {
  it('sends alerts before clinical events, and clinical events before telemetry and audit', () => {
    expect(pickLane(pending('telemetry', 'audit', 'clinical', 'alert'))).toBe('alert');
    expect(pickLane(pending('telemetry', 'audit', 'clinical'))).toBe('clinical');
    expect(pickLane(pending('telemetry'))).toBe('telemetry');
    expect(pickLane(pending('audit'))).toBe('audit');
  });

  it('sends an alert next even right after a telemetry batch, however many readings wait', () => {
    expect(pickLane(pending('telemetry', 'alert'), 'telemetry')).toBe('alert');
  });

  it('lets telemetry and audit take turns, so neither starves the other', () => {
    expect(pickLane(pending('telemetry', 'audit'), 'telemetry')).toBe('audit');
    expect(pickLane(pending('telemetry', 'audit'), 'audit')).toBe('telemetry');
    expect(pickLane(pending('telemetry', 'audit'))).toBe('telemetry');
  });

  it('answers nothing when nothing waits', () => {
    expect(pickLane(pending(), 'alert')).toBeUndefined();
  });

  it('knows every lane the catalogue uses', () => {
    for (const spec of eventCatalogue.values()) expect(syncLanes).toContain(spec.lane);
  });
});
