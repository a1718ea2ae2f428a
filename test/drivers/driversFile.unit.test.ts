import { describe, expect, it } from 'vitest';
import { driverSections, protocolDrivers } from '../../drivers/driverRegistry.ts';
import { parseDriversConfig } from '../../drivers/driversFile.ts';

const parse = (config: unknown) =>
  parseDriversConfig('/etc/nilecare/drivers.json', config, protocolDrivers, driverSections);
const refusal = (config: unknown) => {
  try {
    parse(config);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('accepted');
};

describe('the drivers file', () => {
  it('applies the defaults of the port and of its protocol', () => {
    const config = parse({
      serialPorts: [
        { path: '/dev/ttyUSB0', protocol: 'astm', deviceId: 'xn-550' },
        { path: '/dev/ttyUSB1', protocol: 'pulse-oximeter', deviceId: 'spo2-b3', bed: 'B3' },
      ],
      tcpListeners: [{ protocol: 'astm', port: 5100, deviceId: 'c311' }],
    });
    expect(config.serialPorts[0]).toMatchObject({
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      receiveTimeoutMs: 30000,
    });
    expect(config.serialPorts[1]).toMatchObject({ format: 'auto', bed: 'B3' });
    expect(config.tcpListeners[0]).toMatchObject({ host: '0.0.0.0', port: 5100 });
  });

  it('names the field and the value received when a setting is wrong', () => {
    const error = refusal({
      serialPorts: [{ path: '/dev/ttyS0', protocol: 'astm', deviceId: 'a', baudRate: 9601 }],
    });
    expect(error.code).toBe('GW_ERR_DRIVERS_CONFIG_INVALID');
    expect(error.message).toContain('serialPorts[0].baudRate');
    expect(error.message).toContain('9601');
  });

  it('refuses an unknown protocol, naming the ones it knows', () => {
    const error = refusal({ serialPorts: [{ path: '/dev/ttyS0', protocol: 'hl7-serial', deviceId: 'a' }] });
    expect(error.message).toMatch(/serialPorts\[0\]\.protocol must be one of "astm", "pulse-oximeter"/);
  });

  it('refuses an option of another protocol, and a pulse oximeter on TCP', () => {
    expect(
      refusal({
        serialPorts: [{ path: '/dev/ttyS0', protocol: 'pulse-oximeter', deviceId: 'a', utcOffset: '+02:00' }],
      }).message,
    ).toContain('serialPorts[0].utcOffset');
    expect(
      refusal({ tcpListeners: [{ protocol: 'pulse-oximeter', port: 5000, deviceId: 'a' }] }).message,
    ).toContain('tcpListeners[0].protocol');
  });

  it('refuses a device id or a path used twice, and a missing device id', () => {
    const twice = refusal({
      serialPorts: [
        { path: '/dev/ttyS0', protocol: 'astm', deviceId: 'a' },
        { path: '/dev/ttyS1', protocol: 'astm', deviceId: 'a' },
      ],
    });
    expect(twice.message).toContain('serialPorts[1].deviceId');
    expect(refusal({ tcpListeners: [{ protocol: 'astm', port: 5000 }] }).message).toContain(
      'tcpListeners[0].deviceId',
    );
  });

  it('refuses unknown top-level sections', () => {
    expect(refusal({ serialPort: [] }).message).toContain('serialPort');
  });
});
