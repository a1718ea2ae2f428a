import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of the drivers file, serial ports, ASTM analyzers and pulse oximeters:
 * one area of docs/errors.md
 * (#device-drivers-serial-ports-astm-analyzers-pulse-oximeters), which
 * gateway/errors.ts composes with the others.
 */
export const deviceDriverErrors = {
  title: 'Device drivers (serial ports, ASTM analyzers, pulse oximeters)',
  intro: ['See [devices.md](devices.md) for wiring and the drivers file.'],
  codes: {
    GW_ERR_DRIVERS_CONFIG_INVALID: {
      status: 500,
      message: 'Drivers file %s: %s %s (received %s)',
      meaning: 'the drivers file (serial ports, TCP listeners, GSM modem) is invalid',
      solve: 'fix the field the message names, see [devices.md](devices.md)',
      readable: '`Drivers file <file>: <field> <what is wrong> (received <value>)`',
      explanation: [
        'The gateway read the drivers file (`<dataDir>/drivers.json`, or the file named by',
        '`NILECARE_DRIVERS_FILE`), with the entries the `NILECARE_HL7_*` / `NILECARE_GSM_*`',
        'shortcuts add, and one entry is not valid: an unknown `protocol`, a baud rate',
        'that is not a standard one, a `deviceId` or a port used twice, a `patientId` that is not a',
        'registered patient, a device that was revoked, an on-call `phone` that is not E.164 (shown',
        'with its digits as `#`), a `gsmModem` set both in the file and by `NILECARE_GSM_MODEM_PATH`.',
        'The gateway does not start with a broken drivers file, so a port is never silently left',
        'unwatched.',
        '',
        '**How to solve:** fix the field the message names (for example',
        '`serialPorts[1].baudRate`, `gsmModem.onCall[0].phone`) as [devices.md](devices.md)',
        'describes, or the environment variable it names, then start again. Remove the file to run',
        'with no drivers.',
      ],
    },
    GW_ERR_SERIAL_PORT: {
      status: 503,
      message: 'Serial port %s of device "%s" cannot be used: %s',
      meaning: 'a configured serial port cannot be opened (unplugged, wrong path, no permission)',
      solve: 'plug the device in; check the path and the `dialout` group',
      readable: '`Serial port <path> of device "<deviceId>" cannot be used: <reason>`',
      explanation: [
        'A configured serial port could not be opened: the USB serial adapter is unplugged, the',
        "path is wrong, or the gateway's user may not open it. The gateway keeps trying (with",
        'backoff up to 5 s) and opens it as soon as it is back, recording `device_connected`; it',
        'logs this once per outage, not at every try.',
        '',
        '**How to solve:** plug the device in. Prefer the stable `/dev/serial/by-id/...` path to',
        "`/dev/ttyUSB0` (numbers change when adapters are re-plugged). Add the gateway's user to",
        'the `dialout` group (`usermod -aG dialout nilecare`) and restart it.',
      ],
    },
    GW_ERR_ASTM_FRAME_INVALID: {
      status: 422,
      message: 'ASTM frame from "%s" refused: %s',
      meaning: 'an analyzer sent a damaged frame or bytes outside ASTM E1381',
      solve: 'usually none (it resends); if it repeats, check cable, baud rate, protocol',
      readable: '`ASTM frame from "<deviceId>" refused: <reason>`',
      explanation: [
        'An analyzer sent a frame with a wrong checksum or frame number, no ETB/ETX, or bytes',
        'outside a transmission (no ENQ first). The frame was answered with NAK, so the analyzer',
        'sends it again (up to six times, as ASTM E1381 says); the refused bytes are quarantined.',
        'An occasional one is line noise.',
        '',
        '**How to solve:** nothing if it is rare. If it repeats, check the cable (null-modem for',
        "most analyzers), that the port's baud rate, data bits, parity and stop bits match the",
        "analyzer's, and that the analyzer's host protocol is ASTM E1381 (not its own, for",
        "example bioMérieux VIDAS's).",
      ],
    },
    GW_ERR_ASTM_MESSAGE_INVALID: {
      status: 422,
      message: 'ASTM message from "%s" refused: %s',
      meaning: 'frames were fine but the message is not ASTM E1394',
      solve: "set the analyzer's host protocol to ASTM E1394 / LIS2",
      readable: '`ASTM message from "<deviceId>" refused: <reason>`',
      explanation: [
        'The frames were good but the records are not an ASTM E1394 message: no H (header)',
        'record, or an H record that declares the same character for two delimiters. The message',
        'is quarantined (nothing is stored as a result) and acknowledged, because sending it',
        'again would not help.',
        '',
        "**How to solve:** set the analyzer's host output to ASTM E1394 (LIS2-A2). Ask the",
        'developers to look at the quarantined bytes if the analyzer is known to speak ASTM.',
      ],
    },
    GW_ERR_OXIMETER_LINE_INVALID: {
      status: 422,
      message: 'Pulse oximeter line from "%s" refused: %s',
      meaning: 'a pulse oximeter line is neither Nonin nor Masimo ASCII 1',
      solve: "set the oximeter's serial output format and the port's baud rate",
      readable: '`Pulse oximeter line from "<deviceId>" refused: <reason>`',
      explanation: [
        'A line from a pulse oximeter is neither a Nonin `SPO2=XXX HR=YYY` line nor a Masimo',
        '"ASCII 1" line, or holds impossible values. It is quarantined; the next line is read as',
        'usual. The power-up banner some oximeters print is refused the same way (once).',
        '',
        '**How to solve:** if it repeats every second, the baud rate or format is wrong: set the',
        "oximeter's serial output to the format the port expects (`format` in the drivers file)",
        "and the port to the oximeter's settings (Nonin 9600 8N1; Masimo ASCII 1 9600 8N1).",
      ],
    },
  },
} satisfies ErrorArea;
