import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../harness/testGateway.ts';

let gateway: TestGateway | undefined;
let blocker: Server | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

function occupyPort(): Promise<number> {
  blocker = createServer();
  return new Promise((resolve) =>
    blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)),
  );
}

describe('the gateway process (composition root)', () => {
  it('refuses to start on an HTTP port already in use, with GW_ERR_PORT_IN_USE naming it', async () => {
    const port = await occupyPort();
    await expect(startTestGateway({ httpPort: port })).rejects.toMatchObject({
      code: 'GW_ERR_PORT_IN_USE',
      message: expect.stringContaining(String(port)),
    });
  });

  it('refuses to start on an MQTT port already in use, with GW_ERR_PORT_IN_USE naming it', async () => {
    const port = await occupyPort();
    await expect(startTestGateway({ mqttPort: port })).rejects.toMatchObject({
      code: 'GW_ERR_PORT_IN_USE',
      message: expect.stringContaining(String(port)),
    });
  });

  it('closes idempotently, and refuses writes after closing with GW_ERR_LOG_CLOSED', async () => {
    gateway = await startTestGateway();
    const { recorder } = gateway.services;
    await Promise.all([gateway.close(), gateway.close()]);
    await expect(recorder.record({ draft: {}, channel: 'internal', origin: 'test' })).rejects.toMatchObject({
      code: 'GW_ERR_LOG_CLOSED',
    });
  });
});
