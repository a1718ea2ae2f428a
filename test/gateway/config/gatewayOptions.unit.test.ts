import { isAbsolute, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultGatewayOptions,
  optionEnvironment,
  optionsFromEnvironment,
  resolveGatewayOptions,
} from '../../../gateway/config/gatewayOptions.ts';
import { GatewayError } from '../../../gateway/errors.ts';

function refusal(...layers: Parameters<typeof resolveGatewayOptions>): GatewayError {
  try {
    resolveGatewayOptions(...layers);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the options to be refused');
}

describe('the default options', () => {
  it('serve HTTP on 8080 and MQTT on 1883 with data under ./data', () => {
    const options = resolveGatewayOptions();
    expect(options.httpPort).toBe(8080);
    expect(options.mqttPort).toBe(1883);
    expect(options.dataDir).toBe(resolve('./data'));
    expect(isAbsolute(options.dataDir)).toBe(true);
    expect(options.simulate).toBe(false);
    expect(options.escalation).toEqual(defaultGatewayOptions.escalation);
  });
});

describe('environment variables', () => {
  it('override the defaults, coerced to the option type', () => {
    const env = {
      NILECARE_HTTP_PORT: '9090',
      NILECARE_MQTT_PORT: '11883',
      NILECARE_DATA_DIR: '/var/lib/nilecare',
      NILECARE_SIMULATE: 'true',
    };
    const options = resolveGatewayOptions(optionsFromEnvironment(env));
    expect(options).toMatchObject({
      httpPort: 9090,
      mqttPort: 11883,
      dataDir: '/var/lib/nilecare',
      simulate: true,
    });
  });

  it('are read only for the options they name, and unrelated variables are ignored', () => {
    expect(optionsFromEnvironment({ PATH: '/usr/bin', NILECARE_TENANT_ID: 'moh-sudan' })).toEqual({
      tenantId: 'moh-sudan',
    });
    expect(optionEnvironment).toMatchObject({
      httpPort: 'NILECARE_HTTP_PORT',
      mqttPort: 'NILECARE_MQTT_PORT',
      dataDir: 'NILECARE_DATA_DIR',
    });
  });

  it('name the option and the text received when the text is not a number', () => {
    const error = refusal(optionsFromEnvironment({ NILECARE_HTTP_PORT: 'eighty' }));
    expect(error.code).toBe('GW_ERR_OPTION_INVALID');
    expect(error.message).toContain('httpPort');
    expect(error.message).toContain('"eighty"');
  });

  it('take a fraction of a minute for the idle timeout (a short one for a test), and refuse none', () => {
    const options = resolveGatewayOptions(optionsFromEnvironment({ NILECARE_SESSION_IDLE_MINUTES: '0.3' }));
    expect(options.sessionIdleMinutes).toBe(0.3);
    expect(refusal(optionsFromEnvironment({ NILECARE_SESSION_IDLE_MINUTES: '0' })).message).toContain(
      'sessionIdleMinutes',
    );
  });

  it('refuse a simulate flag that is neither true nor false', () => {
    expect(refusal(optionsFromEnvironment({ NILECARE_SIMULATE: 'yes' })).message).toMatch(/simulate.*"yes"/);
  });
});

describe('command-line flags', () => {
  it('override the environment, which overrides the defaults', () => {
    const env = optionsFromEnvironment({ NILECARE_HTTP_PORT: '9090', NILECARE_MQTT_PORT: '11883' });
    const options = resolveGatewayOptions(env, { httpPort: 8081 });
    expect(options.httpPort).toBe(8081);
    expect(options.mqttPort).toBe(11883);
  });

  it('that are undefined do not erase a value from below', () => {
    const options = resolveGatewayOptions({ httpPort: 9090 }, { httpPort: undefined } as never);
    expect(options.httpPort).toBe(9090);
  });

  it('may change one escalation setting and keep the other defaults', () => {
    const options = resolveGatewayOptions({ escalation: { highAfterSeconds: 30 } as never });
    expect(options.escalation).toEqual({ ...defaultGatewayOptions.escalation, highAfterSeconds: 30 });
  });
});

describe('an invalid option', () => {
  it('is refused with an error naming the option and the value (httpPort 70000)', () => {
    const error = refusal({ httpPort: 70000 });
    expect(error.code).toBe('GW_ERR_OPTION_INVALID');
    expect(error.message).toBe('Option httpPort is invalid: must be <= 65535 (received 70000)');
  });

  it('names a nested option by its path', () => {
    expect(refusal({ escalation: { ...defaultGatewayOptions.escalation, maxLevel: 0 } }).message).toMatch(
      /escalation\.maxLevel.*received 0/,
    );
  });

  it('names an option the gateway does not know', () => {
    expect(refusal({ httpPrt: 8080 } as never).message).toMatch(/httpPrt.*additional properties/);
  });

  it('refuses a maximum packet size too small for an MQTT CONNECT', () => {
    expect(refusal({ maxPacketBytes: 10 }).message).toMatch(/maxPacketBytes.*received 10/);
  });

  it('take the device clock floor (2020-01-01) and tolerance (a day ahead) from the environment, and refuse a floor that is no date', () => {
    expect(defaultGatewayOptions).toMatchObject({
      deviceClockFloor: '2020-01-01T00:00:00.000Z',
      deviceClockAheadSeconds: 86_400,
    });
    expect(
      optionsFromEnvironment({
        NILECARE_DEVICE_CLOCK_FLOOR: '2024-06-01T00:00:00Z',
        NILECARE_DEVICE_CLOCK_AHEAD_SECONDS: '3600',
      }),
    ).toEqual({ deviceClockFloor: '2024-06-01T00:00:00Z', deviceClockAheadSeconds: 3600 });
    expect(refusal({ deviceClockFloor: '2020-13-45' }).message).toMatch(
      /deviceClockFloor.*received "2020-13-45"/,
    );
    expect(refusal({ deviceClockAheadSeconds: 5 }).message).toMatch(/deviceClockAheadSeconds.*received 5/);
  });
});
