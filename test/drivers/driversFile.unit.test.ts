import { describe, expect, it } from 'vitest';
import { driverSections, protocolDrivers } from '../../drivers/driverRegistry.ts';
import { driverEntriesFromEnvironment } from '../../drivers/driversFromEnvironment.ts';
import { parseDriversConfig, withEnvironment } from '../../drivers/driversFile.ts';

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

  it('takes the ASTM link options, strict by default, on a serial port and a TCP listener', () => {
    const config = parse({
      serialPorts: [
        { path: '/dev/ttyUSB0', protocol: 'astm', deviceId: 'pentra', frameNumbers: 'lenient' },
        { path: '/dev/ttyUSB1', protocol: 'astm', deviceId: 'c111' },
      ],
      tcpListeners: [{ protocol: 'astm', port: 5101, deviceId: 'chem', checksum: 'none' }],
    });
    expect(config.serialPorts[0]).toMatchObject({ checksum: 'required', frameNumbers: 'lenient' });
    expect(config.serialPorts[1]).toMatchObject({ checksum: 'required', frameNumbers: 'strict' });
    expect(config.tcpListeners[0]).toMatchObject({ checksum: 'none', frameNumbers: 'strict' });
  });

  it('takes orderDownload and sendPatientName on an analyzer, both off by default, and refuses a value that is not true or false', () => {
    const config = parse({
      serialPorts: [{ path: '/dev/ttyUSB0', protocol: 'astm', deviceId: 'haem', orderDownload: true }],
      tcpListeners: [{ protocol: 'astm', port: 5101, deviceId: 'chem' }],
    });
    expect(config.serialPorts[0]).toMatchObject({ orderDownload: true, sendPatientName: false });
    expect(config.tcpListeners[0]).toMatchObject({ orderDownload: false, sendPatientName: false });
    const error = refusal({
      tcpListeners: [{ protocol: 'astm', port: 5101, deviceId: 'a', orderDownload: 'yes' }],
    });
    expect(error.code).toBe('GW_ERR_DRIVERS_CONFIG_INVALID');
    expect(error.message).toContain('tcpListeners[0].orderDownload');
  });

  it('names the ASTM link option and the value received when the value is not one it knows', () => {
    for (const [config, field, value] of [
      [
        { serialPorts: [{ path: '/dev/ttyS0', protocol: 'astm', deviceId: 'a', checksum: 'off' }] },
        'serialPorts[0].checksum',
        '"off"',
      ],
      [
        { tcpListeners: [{ protocol: 'astm', port: 5101, deviceId: 'a', frameNumbers: 'loose' }] },
        'tcpListeners[0].frameNumbers',
        '"loose"',
      ],
    ] as const) {
      const error = refusal(config);
      expect(error.code).toBe('GW_ERR_DRIVERS_CONFIG_INVALID');
      expect(error.message).toContain(field);
      expect(error.message).toContain(`(received ${value})`);
    }
    // They are ASTM's: an HL7 listener has none.
    expect(refusal({ tcpListeners: [{ protocol: 'hl7', port: 2575, checksum: 'none' }] }).message).toContain(
      'tcpListeners[0].checksum must NOT have additional properties',
    );
  });

  it('refuses unknown top-level sections', () => {
    expect(refusal({ serialPort: [] }).message).toContain('serialPort');
  });
});

const modem = (overrides: Record<string, unknown> = {}) => ({
  path: '/dev/serial/by-id/usb-SimTech_SIM7600-if02',
  onCall: [{ id: 'nurse-oncall', phone: '+249912000001' }],
  ...overrides,
});

describe('an hl7 listener in the drivers file', () => {
  it('needs no device id and takes the HL7 defaults', () => {
    const config = parse({ tcpListeners: [{ protocol: 'hl7', port: 2575 }] });
    expect(config.tcpListeners[0]).toEqual({
      protocol: 'hl7',
      host: '0.0.0.0',
      port: 2575,
      maxFrameBytes: 1024 * 1024,
      testCodes: {},
      units: {},
    });
  });

  it('takes an orderTo naming the laboratory system its orders go to, with a device id', () => {
    const config = parse({
      tcpListeners: [
        { protocol: 'hl7', port: 2575, deviceId: 'lis-main', orderTo: { host: '10.0.0.20', port: 6661 } },
      ],
    });
    expect(config.tcpListeners[0]).toMatchObject({ orderTo: { host: '10.0.0.20', port: 6661 } });
  });

  it('refuses an orderTo without the device id orders name as performer, or with a bad message or port', () => {
    const noDevice = refusal({
      tcpListeners: [{ protocol: 'hl7', port: 2575, orderTo: { host: 'lis', port: 6661 } }],
    });
    expect(noDevice.code).toBe('GW_ERR_DRIVERS_CONFIG_INVALID');
    expect(noDevice.message).toContain('tcpListeners[0].deviceId');
    expect(noDevice.message).toContain('orderTo');
    for (const [orderTo, field] of [
      [{ host: 'lis', port: 6661, message: 'ORU^R01' }, 'tcpListeners[0].orderTo.message'],
      [{ host: 'lis', port: 0 }, 'tcpListeners[0].orderTo.port'],
      [{ host: 'lis' }, 'tcpListeners[0].orderTo.port'],
      [{ host: 'lis', port: 6661, maxRefusals: 0 }, 'tcpListeners[0].orderTo.maxRefusals'],
    ] as const) {
      const error = refusal({
        tcpListeners: [{ protocol: 'hl7', port: 2575, deviceId: 'lis-main', orderTo }],
      });
      expect(error.message).toContain(field);
    }
  });

  it('names the field and the value of a bad port, frame limit or clock offset', () => {
    for (const [entry, field, value] of [
      [{ port: 70000 }, 'tcpListeners[0].port', '70000'],
      [{ port: 2575, maxFrameBytes: 10 }, 'tcpListeners[0].maxFrameBytes', '10'],
      [{ port: 2575, utcOffset: '+2' }, 'tcpListeners[0].utcOffset', '"+2"'],
      [{}, 'tcpListeners[0].port', '{"protocol":"hl7"}'],
    ] as const) {
      const error = refusal({ tcpListeners: [{ protocol: 'hl7', ...entry }] });
      expect(error.code).toBe('GW_ERR_DRIVERS_CONFIG_INVALID');
      expect(error.message).toContain(field);
      expect(error.message).toContain(`(received ${value})`);
    }
  });

  it('refuses ASTM options, a serial port, and a port another listener has', () => {
    expect(
      refusal({ tcpListeners: [{ protocol: 'hl7', port: 2575, specimenType: 'serum' }] }).message,
    ).toContain('tcpListeners[0].specimenType');
    expect(
      refusal({
        tcpListeners: [{ protocol: 'hl7', port: 2575, units: { 'mg/dl': { unit: 'mmol/L', factor: 0 } } }],
      }).message,
    ).toContain('tcpListeners[0].units');
    expect(
      refusal({ serialPorts: [{ path: '/dev/ttyS0', protocol: 'hl7', deviceId: 'a' }] }).message,
    ).toContain('serialPorts[0].protocol must be one of "astm", "pulse-oximeter" on a serial port');
    expect(
      refusal({
        tcpListeners: [
          { protocol: 'astm', port: 2575, deviceId: 'c311' },
          { protocol: 'hl7', port: 2575 },
        ],
      }).message,
    ).toContain('tcpListeners[1].port the port is already used by tcpListeners[0].port');
  });
});

describe('a gsmModem section in the drivers file', () => {
  it('takes the modem defaults', () => {
    expect(parse({ gsmModem: modem() }).sections.gsmModem).toMatchObject({
      baudRate: 115200,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      deliveryReports: true,
      maxAttempts: 5,
    });
  });

  it('names the field of a bad setting', () => {
    for (const [overrides, field] of [
      [{ path: undefined }, 'gsmModem.path'],
      [{ baudRate: 115201 }, 'gsmModem.baudRate'],
      [{ onCall: [] }, 'gsmModem.onCall'],
      [{ onCall: [{ id: 'a', phone: '+249912000001', fromLevel: 0 }] }, 'gsmModem.onCall[0].fromLevel'],
      [{ onCall: [{ id: 'a', phone: '+249912000001', name: 'Dr' }] }, 'gsmModem.onCall[0].name'],
      [{ sendTimeoutMs: 50 }, 'gsmModem.sendTimeoutMs'],
      [{ pin: '1234' }, 'gsmModem.pin'],
    ] as const) {
      const error = refusal({ gsmModem: modem(overrides) });
      expect(error.code).toBe('GW_ERR_DRIVERS_CONFIG_INVALID');
      expect(error.message).toContain(field);
    }
  });

  it('refuses a number not in E.164 or a recipient id given twice, never printing a number', () => {
    const local = refusal({ gsmModem: modem({ onCall: [{ id: 'a', phone: '0912000001' }] }) });
    expect(local.message).toContain('gsmModem.onCall[0].phone');
    expect(local.message).toContain('"##########"');
    const extra = refusal({ gsmModem: modem({ onCall: [{ id: 'a', phone: '+249912000001', x: 1 }] }) });
    expect(extra.message).not.toMatch(/912000001/);
    const twice = refusal({
      gsmModem: modem({
        onCall: [
          { id: 'a', phone: '+249912000001' },
          { id: 'a', phone: '+249912000002' },
        ],
      }),
    });
    expect(twice.message).toContain('gsmModem.onCall[1].id is given twice');
    expect(twice.message).not.toMatch(/91200000/);
  });

  it('refuses a modem on the serial port of a device', () => {
    const error = refusal({
      serialPorts: [{ path: '/dev/ttyUSB0', protocol: 'astm', deviceId: 'c111' }],
      gsmModem: modem({ path: '/dev/ttyUSB0' }),
    });
    expect(error.message).toContain('gsmModem.path the path is already used by serialPorts[0].path');
  });
});

describe('the NILECARE_HL7_* and NILECARE_GSM_* shortcuts', () => {
  const env = {
    NILECARE_HL7_PORT: '2575',
    NILECARE_HL7_UTC_OFFSET_MINUTES: '120',
    NILECARE_GSM_MODEM_PATH: '/dev/ttyUSB3',
    NILECARE_ONCALL_NUMBERS: 'nurse=+249912000001,consultant=+249912000003@2',
    NILECARE_GSM_MAX_ATTEMPTS: '3',
  };

  it("make the same entries as the file, after the file's own", () => {
    const entries = driverEntriesFromEnvironment(env);
    const config = parse(
      withEnvironment('drivers.json', { tcpListeners: [{ protocol: 'hl7', port: 2576 }] }, entries),
    );
    expect(config.tcpListeners.map((listener) => listener.port)).toEqual([2576, 2575]);
    expect(config.tcpListeners[1]).toMatchObject({ protocol: 'hl7', utcOffset: '+02:00' });
    expect(config.sections.gsmModem).toMatchObject({
      path: '/dev/ttyUSB3',
      maxAttempts: 3,
      onCall: [
        { id: 'nurse', phone: '+249912000001', fromLevel: 1 },
        { id: 'consultant', phone: '+249912000003', fromLevel: 2 },
      ],
    });
  });

  it('refuse a modem set both in the file and by NILECARE_GSM_MODEM_PATH', () => {
    expect(() =>
      withEnvironment('drivers.json', { gsmModem: modem() }, driverEntriesFromEnvironment(env)),
    ).toThrowError(/gsmModem is set both in the file and by the environment/);
  });

  it('refuse a modem with nobody to text', () => {
    const entries = driverEntriesFromEnvironment({ NILECARE_GSM_MODEM_PATH: '/dev/ttyUSB3' });
    expect(refusal(withEnvironment('drivers.json', {}, entries)).message).toContain('gsmModem.onCall');
  });
});
