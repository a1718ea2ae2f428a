import fc from 'fast-check';
import { lexLink } from '../../drivers/astm/astmLexer.ts';
import { parseFrame } from '../../drivers/astm/astmFrame.ts';
import { driverSections, protocolDrivers } from '../../drivers/driverRegistry.ts';
import { parseDriversConfig } from '../../drivers/driversFile.ts';
import { parseHl7 } from '../../drivers/hl7/hl7Message.ts';
import { deframe } from '../../drivers/hl7/mllpFraming.ts';
import { parseAlarmPayload } from '../../gateway/broker/alarmPayload.ts';
import { parseVitalsPayload, vitalsDraft } from '../../gateway/broker/vitalsPayload.ts';
import { isGatewayError } from '../../gateway/errors.ts';
import { validateDraft } from '../../kernel/events/validateEvent.ts';
import type { EntryCounts, EntryPoint } from './entryPoint.ts';
import { hostileAlarm, hostilePayload, hostileValue, hostileVitals } from './hostileJson.ts';

/**
 * The pure parsers behind the entry points, run in this process with
 * fast-check's shrinking: a failure is reported as the smallest input that
 * still breaks the property, with the random seed and path that replay it.
 */
function checkProperty<T>(
  name: string,
  counts: EntryCounts,
  arbitrary: fc.Arbitrary<T>,
  property: (input: T) => 'accepted' | 'refused',
  { count, seed }: { count: number; seed: number },
): void {
  const result = fc.check(
    fc.property(arbitrary, (input) => {
      const verdict = property(input);
      counts.inputs += 1;
      if (verdict === 'refused') counts.refused += 1;
    }),
    { numRuns: count, seed },
  );
  if (result.failed)
    counts.violations.push({
      round: result.numRuns,
      guarantee: `${name} answers every input with a verdict`,
      detail: `${String(result.errorInstance).slice(0, 300)}; shrunk input ${fc
        .stringify(result.counterexample)
        .slice(0, 300)} (seed ${result.seed}, path ${result.counterexamplePath})`,
    });
}

const readingContext = {
  deviceId: 'hostile-monitor',
  facilityId: 'fac-prove',
  tenantId: 'tenant-prove',
  newId: () => '01890000-0000-7000-8000-000000000000',
};

/** A device payload the parser accepts becomes a draft the catalogue accepts: the broker never stores a malformed event. */
export const payloadParserEntry: EntryPoint = {
  name: 'payload-parser',
  limitMs: 1000,
  network: false,
  async run({ count, seed }, counts) {
    checkProperty(
      'the vitals and alarm parsers',
      counts,
      fc.tuple(hostilePayload(hostileVitals), hostilePayload(hostileAlarm)),
      ([vitals, alarm]) => {
        parseAlarmPayload(alarm);
        const parsed = parseVitalsPayload(vitals);
        if (!parsed.ok) return 'refused';
        const checked = validateDraft(vitalsDraft(parsed.payload, readingContext));
        if (!checked.ok)
          throw new Error(`accepted payload makes a malformed event: ${checked.issues[0]?.message}`);
        return 'accepted';
      },
      { count, seed },
    );
  },
};

/** HL7 text and MLLP bytes: parseHl7 and deframe answer everything with a verdict, never an exception. */
export const hl7ParserEntry: EntryPoint = {
  name: 'hl7-parser',
  limitMs: 1000,
  network: false,
  async run({ count, seed }, counts) {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .array(fc.string({ maxLength: 60 }), { maxLength: 8 })
        .map((segments) => `MSH|^~\\&|${segments.join('\r')}`),
    );
    checkProperty(
      'the HL7 parser and MLLP deframer',
      counts,
      fc.tuple(text, fc.uint8Array({ maxLength: 300 }), fc.boolean()),
      ([message, bytes, skipping]) => {
        deframe(Buffer.alloc(0), Buffer.from(bytes), 1024, skipping);
        return parseHl7(message).ok ? 'accepted' : 'refused';
      },
      { count, seed },
    );
  },
};

/** ASTM bytes: the link lexer and the frame parser answer everything with a verdict. */
export const astmParserEntry: EntryPoint = {
  name: 'astm-parser',
  limitMs: 1000,
  network: false,
  async run({ count, seed }, counts) {
    const bytes = fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array));
    checkProperty(
      'the ASTM lexer and frame parser',
      counts,
      fc.tuple(bytes, bytes),
      ([pending, chunk]) => {
        lexLink(pending, chunk, 256);
        return parseFrame(chunk).ok ? 'accepted' : 'refused';
      },
      { count, seed },
    );
  },
};

/** drivers.json (docs/devices.md): any content is a valid configuration or a coded GW_ERR_ error naming the field. */
export const driversFileEntry: EntryPoint = {
  name: 'drivers-json',
  limitMs: 1000,
  network: false,
  async run({ count, seed }, counts) {
    const listener = fc.record(
      {
        protocol: fc.oneof(fc.constantFrom('astm', 'hl7', 'pulse-oximeter', 'gsm'), hostileValue),
        port: fc.oneof(fc.integer({ min: -10, max: 70_000 }), hostileValue),
        host: fc.oneof(fc.constant('127.0.0.1'), hostileValue),
        deviceId: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), hostileValue),
        path: fc.oneof(fc.constant('/dev/ttyUSB0'), hostileValue),
        baudRate: fc.oneof(fc.constantFrom(9600, 115200), hostileValue),
      },
      { requiredKeys: [] },
    );
    const config = fc.oneof(
      fc.record(
        {
          serialPorts: fc.oneof(fc.array(listener, { maxLength: 3 }), hostileValue),
          tcpListeners: fc.oneof(fc.array(listener, { maxLength: 3 }), hostileValue),
          gsmModem: hostileValue,
          $comment: hostileValue,
        },
        { requiredKeys: [] },
      ),
      hostileValue,
    );
    checkProperty(
      'the drivers.json loader',
      counts,
      config,
      (parsed) => {
        try {
          parseDriversConfig('/etc/nilecare/drivers.json', parsed, protocolDrivers, driverSections);
          return 'accepted';
        } catch (error) {
          if (isGatewayError(error)) return 'refused';
          throw error;
        }
      },
      { count, seed },
    );
  },
};
