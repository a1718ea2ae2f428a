import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  defaultHubOptions,
  hubOptionsFromEnvironment,
  hubServiceNames,
  publicBaseUrlOf,
  resolveHubOptions,
} from '../../hub/hubOptions.ts';

const databaseUrl = 'postgresql://hub:secret@db.example:5432/nilecare_hub';

describe('the hub options', () => {
  it('take the defaults, then each layer in turn', () => {
    const options = resolveHubOptions(
      { databaseUrl },
      hubOptionsFromEnvironment({
        NILECARE_KAFKA_BROKERS: 'k1:9092, k2:9092',
        NILECARE_HUB_HTTP_PORT: '9500',
        NILECARE_HUB_GAP_GRACE_MS: '1000',
      }),
      { retry: { attempts: 2 } as never },
    );
    expect(options).toMatchObject({
      databaseUrl,
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      httpPort: 9500,
      gapGraceMs: 1000,
      retry: { attempts: 2, initialDelayMs: defaultHubOptions.retry.initialDelayMs },
      services: [...hubServiceNames],
    });
  });

  it('require a PostgreSQL connection string, naming the variable', () => {
    expect(() => resolveHubOptions({})).toThrow(/databaseUrl.*NILECARE_HUB_DATABASE_URL/);
  });

  it('name the option and the value received when one is invalid, never the password', () => {
    expect(() =>
      resolveHubOptions({ databaseUrl }, hubOptionsFromEnvironment({ NILECARE_HUB_HTTP_PORT: 'eighty' })),
    ).toThrow('Option httpPort is invalid: must be integer (received "eighty")');
    expect(() => resolveHubOptions({ databaseUrl: 'mysql://root:secret@x/db' })).toThrow(
      expect.objectContaining({
        code: 'HUB_ERR_OPTION_INVALID',
        message: expect.not.stringContaining('secret'),
      }),
    );
    expect(() => resolveHubOptions({ databaseUrl, kafkaBrokers: ['no-port'] })).toThrow(/kafkaBrokers\.0/);
    expect(() => resolveHubOptions({ databaseUrl, services: ['no-such-service' as never] })).toThrow(
      /services\.0/,
    );
  });
});

describe('the public base URL of the hub API', () => {
  it('is the configured one without a trailing slash, else the listen address, the host name for a wildcard', () => {
    expect(publicBaseUrlOf({ publicBaseUrl: 'https://hub.moh.sd/', httpHost: '0.0.0.0' }, 9464)).toBe(
      'https://hub.moh.sd',
    );
    expect(publicBaseUrlOf({ httpHost: '127.0.0.1' }, 9464)).toBe('http://127.0.0.1:9464');
    expect(publicBaseUrlOf({ httpHost: '::1' }, 9464)).toBe('http://[::1]:9464');
    expect(publicBaseUrlOf({ httpHost: '0.0.0.0' }, 9464)).toBe(`http://${hostname()}:9464`);
  });
});
