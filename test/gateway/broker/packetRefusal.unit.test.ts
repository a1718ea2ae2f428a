import { describe, expect, it } from 'vitest';
import { packetRefusal } from '../../../gateway/broker/publishIngest.ts';

describe('a packet the size meter stops', () => {
  it('is refused as too large, naming its size and the limit', () => {
    expect(packetRefusal({ ok: false, reason: 'too_large', size: 20_000 }, 16_384)).toEqual({
      code: 'GW_ERR_PAYLOAD_TOO_LARGE',
      reason: 'packet of 20000 bytes is over the limit of 16384 bytes',
    });
  });

  it('is refused as invalid when its remaining length is malformed', () => {
    expect(packetRefusal({ ok: false, reason: 'malformed_length' }, 16_384)).toEqual({
      code: 'GW_ERR_PAYLOAD_INVALID',
      reason: 'malformed MQTT remaining length',
    });
  });
});
