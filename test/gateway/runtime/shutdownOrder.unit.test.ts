import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createShutdownOrder } from '../../../gateway/runtime/shutdownOrder.ts';

const silent = pino({ level: 'silent' });

describe('the shutdown order', () => {
  it('stops components in reverse order of start', async () => {
    const stopped: string[] = [];
    const shutdown = createShutdownOrder(silent);
    for (const name of ['store', 'broker', 'http', 'sync']) shutdown.add(() => void stopped.push(name));
    await shutdown.close();
    expect(stopped).toEqual(['sync', 'http', 'broker', 'store']);
  });

  it('stops each component once, however often close is called', async () => {
    let stops = 0;
    const shutdown = createShutdownOrder(silent);
    shutdown.add(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      stops += 1;
    });
    await Promise.all([shutdown.close(), shutdown.close()]);
    await shutdown.close();
    expect(stops).toBe(1);
  });

  it('carries on past a component that fails to stop, and logs the failure', async () => {
    const stopped: string[] = [];
    const errors: unknown[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
    const shutdown = createShutdownOrder(logger);
    shutdown.add(() => void stopped.push('store'));
    shutdown.add(() => {
      throw new Error('port already closed');
    });
    await shutdown.close();
    expect(stopped).toEqual(['store']);
    expect(errors).toMatchObject([{ msg: 'error while stopping', err: { message: 'port already closed' } }]);
  });
});
