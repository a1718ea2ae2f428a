import { describe, expect, it } from 'vitest';
import { deviceTopic, parseDeviceTopic, topicRefusal } from '../../../gateway/broker/deviceTopics.ts';

const facility = 'omdurman-teaching';

describe('a device publishing under its own topic', () => {
  it('is allowed for vitals, alarms and status', () => {
    for (const kind of ['vitals', 'alarms', 'status'] as const) {
      expect(topicRefusal(deviceTopic(facility, 'monitor-1', kind), 'monitor-1', facility)).toBeUndefined();
    }
  });

  it('parses back to its facility, device and kind', () => {
    expect(parseDeviceTopic('clinic/omdurman-teaching/devices/monitor-1/vitals')).toEqual({
      facilityId: facility,
      deviceId: 'monitor-1',
      kind: 'vitals',
    });
  });
});

describe('a device publishing elsewhere', () => {
  it('is refused under another device id', () => {
    expect(topicRefusal(deviceTopic(facility, 'monitor-2', 'vitals'), 'monitor-1', facility)).toMatch(
      /own id/,
    );
  });

  it('is refused under another facility', () => {
    expect(
      topicRefusal(deviceTopic('kassala-hospital', 'monitor-1', 'vitals'), 'monitor-1', facility),
    ).toMatch(/kassala-hospital/);
  });

  it.each([
    ['an unknown kind', 'clinic/omdurman-teaching/devices/monitor-1/firmware'],
    ['too many levels', 'clinic/omdurman-teaching/devices/monitor-1/vitals/extra'],
    ['too few levels', 'clinic/omdurman-teaching/devices/monitor-1'],
    ['an empty device id', 'clinic/omdurman-teaching/devices//vitals'],
    ['an empty facility', 'clinic//devices/monitor-1/vitals'],
    ['another root', 'hospital/omdurman-teaching/devices/monitor-1/vitals'],
    ['a leading slash', '/clinic/omdurman-teaching/devices/monitor-1/vitals'],
    ['wildcards', 'clinic/+/devices/#'],
    ['garbage', '\u0000\u0001 garbage'],
    ['nothing', ''],
  ])('is refused for %s', (_label, topic) => {
    expect(parseDeviceTopic(topic)).toBeUndefined();
    expect(topicRefusal(topic, 'monitor-1', facility)).toMatch(/not a device topic/);
  });
});
