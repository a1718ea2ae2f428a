import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, openDeviceEnd, type PtyPair } from '../harness/ptyPair.ts';

describe('a socat pseudo-terminal pair', () => {
  let pair: PtyPair | undefined;
  afterEach(async () => {
    await pair?.close();
  });

  it('carries bytes both ways like a null-modem cable, and disappears when unplugged', async () => {
    pair = await createPtyPair();
    const gateway = await openDeviceEnd(pair.gatewayPath);
    const device = await openDeviceEnd(pair.devicePath);
    await device.write(Buffer.from([0x05]));
    expect([...(await gateway.nextBytes(0, 1))]).toEqual([0x05]);
    await gateway.write(Buffer.from([0x06]));
    expect([...(await device.nextBytes(0, 1))]).toEqual([0x06]);
    await gateway.close();
    await device.close();
    await pair.unplug();
    expect(existsSync(pair.gatewayPath)).toBe(false);
    await pair.plugIn();
    expect(existsSync(pair.gatewayPath)).toBe(true);
  });
});
