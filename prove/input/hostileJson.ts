import fc from 'fast-check';

/**
 * Hostile JSON for the input campaign (docs/reliability.md#hostile-input):
 * bodies a broken or malicious client could send. Each is raw bytes, because
 * the worst of them are not JSON at all (a nesting deeper than any parser's
 * stack, a number past 1e308, a truncated document, invalid UTF-8).
 */

/** Keys that reach an object's prototype when a parser or merge is careless. */
const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Numbers at the edges of what JSON and JavaScript agree on. */
const edgeNumbers = fc.constantFrom(
  0,
  -0,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -1,
  2 ** 31,
  2 ** 64,
);

/** Text no clinic should see: control characters, right-to-left marks, emoji, Arabic, NUL. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '\u0000',
    '\u202e',
    '\ufeff',
    'آمنة',
    '😷',
    'a'.repeat(5000),
    '%00',
    '../../etc/passwd',
  ),
);

/** Any JSON value, with the hostile numbers, strings and keys mixed in. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    edgeNumbers,
    fc.integer(),
    hostileText,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...prototypeKeys), fc.string({ maxLength: 8 })), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

/** Raw text that is not what JSON.stringify makes: deep nesting, huge literals, truncation, BOMs, bad UTF-8. */
const hostileRaw: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .oneof(fc.integer({ min: 1, max: 8000 }), fc.integer({ min: 8000, max: 100_000 }))
    .map((depth) => Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc
    .oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 3000, max: 20_000 }))
    .map((depth) => Buffer.from(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
  fc
    .constantFrom('1e999', '-1e999', '123456789012345678901234567890', 'NaN', 'Infinity', '{"seq":1e400}')
    .map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  hostileValue.map((value) =>
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(value) ?? '')]),
  ),
  fc.tuple(hostileValue, fc.nat()).map(([value, cut]) => {
    const text = Buffer.from(JSON.stringify(value) ?? 'null');
    return text.subarray(0, cut % (text.length + 1));
  }),
);

/** A field of a reading: the right value or a hostile one. */
const either = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: hostileValue });

/** Times a device clock could send: plausible ones mostly, some from before 1980 or far ahead. */
const deviceTime = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const measurement = (values: fc.Arbitrary<number>, units: readonly string[]) =>
  either(fc.record({ value: either(values), unit: either(fc.constantFrom(...units)) }));

/** A vitals payload (docs/mqtt.md) with any field replaced, removed or joined by hostile ones. */
export const hostileVitals: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    seq: either(fc.nat()),
    timestamp: either(deviceTime),
    patientId: fc.oneof(fc.constantFrom('p-unknown', ''), fc.string({ maxLength: 70 })),
    vitals: either(
      fc.record(
        {
          spo2: measurement(fc.double({ min: 50, max: 101, noNaN: true }), ['%', '%', 'percent']),
          heartRate: measurement(fc.integer({ min: 20, max: 260 }), ['/min', 'bpm', 'Hz']),
          temperature: measurement(fc.double({ min: 30, max: 43, noNaN: true }), ['Cel', '°C', 'K']),
          systolic: measurement(fc.integer({ min: 40, max: 260 }), ['mm[Hg]', 'mmHg']),
        },
        { requiredKeys: [] },
      ),
    ),
    extra: hostileValue,
  },
  { requiredKeys: ['seq', 'timestamp', 'vitals'] },
);

/** An alarm payload (docs/mqtt.md), fields hostile as above. */
export const hostileAlarm: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    seq: either(fc.nat()),
    timestamp: either(deviceTime),
    alarmCode: either(fc.string({ minLength: 1, maxLength: 70 })),
    priority: either(fc.constantFrom('high', 'medium', 'low', 'HIGH')),
    description: either(fc.string({ minLength: 1, maxLength: 80 })),
  },
  { requiredKeys: ['seq', 'timestamp', 'alarmCode', 'priority'] },
);

/** The bytes of one hostile device payload: a near-valid reading or raw hostility. */
export const hostilePayload = (shape: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 3, arbitrary: shape.map((body) => Buffer.from(JSON.stringify(body))) },
    { weight: 1, arbitrary: hostileRaw },
  );
