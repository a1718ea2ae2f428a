import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

// The lab conformance corpus (test/data/README.md) is replayed through the
// drivers by a table test that trusts its layout. These checks keep the corpus
// honest on its own: every capture documented, every expected file well formed,
// and the number of expected results equal to what the capture holds.

const corpus = new URL('../data/', import.meta.url);
const readme = readFileSync(new URL('README.md', corpus), 'utf8');

const filesIn = (folder: string, extension: string): string[] =>
  readdirSync(new URL(`${folder}/`, corpus))
    .filter((name) => name.endsWith(extension))
    .sort();

const bytesOf = (path: string): Buffer => readFileSync(new URL(path, corpus));
const expectedOf = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(path.replace(/\.(astm|hl7)$/, '.expected.json'), corpus), 'utf8'));

const scalar = { type: ['string', 'null'] };
const astmSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['family', 'framing', 'link', 'messages', 'qc', 'results', 'comments', 'notes'],
  properties: {
    family: { type: 'string', minLength: 1 },
    framing: { enum: ['e1381', 'records'] },
    link: {
      type: 'object',
      additionalProperties: false,
      properties: { checksum: { const: 'none' }, frameNumbers: { const: 'lenient' } },
    },
    messages: { type: 'integer', minimum: 1 },
    qc: { type: 'boolean' },
    comments: { type: 'integer', minimum: 0 },
    notes: { type: 'string' },
    /** The gateway refuses the whole message with this code (quarantined, nothing stored): a negative case. */
    refused: { type: 'string', pattern: '^GW_ERR_[A-Z_]+$' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['seq', 'testId', 'specimenId', 'value', 'unit', 'range', 'flags', 'status', 'time'],
        properties: {
          seq: { type: 'string' },
          testId: { type: 'string' },
          specimenId: scalar,
          value: { type: ['number', 'string', 'null'] },
          comparator: { enum: ['<', '>', '<=', '>='] },
          unit: scalar,
          range: scalar,
          flags: { type: 'array', items: { type: 'string', minLength: 1 } },
          status: { type: 'string' },
          time: scalar,
        },
      },
    },
  },
};
const hl7Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['family', 'messageType', 'controlId', 'obrGroups', 'results', 'notes'],
  properties: {
    family: { type: 'string', minLength: 1 },
    messageType: { const: 'ORU^R01' },
    controlId: { type: 'string', minLength: 1 },
    obrGroups: { type: 'integer', minimum: 1 },
    notes: { type: 'string' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'setId',
          'code',
          'text',
          'system',
          'subId',
          'valueType',
          'value',
          'comparator',
          'unit',
          'range',
          'flags',
          'status',
          'specimenId',
          'nte',
        ],
        properties: {
          setId: { type: 'string' },
          code: { type: 'string' },
          text: { type: 'string' },
          system: { type: 'string' },
          subId: { type: 'string' },
          // OBX-2 as written; IHE PCD-01 sends blank OBX-2 on device and container rows
          valueType: { type: 'string' },
          value: { type: ['number', 'string', 'null'] },
          comparator: { enum: ['<', '<=', '>', '>=', '=', null] },
          unit: scalar,
          range: scalar,
          flags: { type: 'array', items: { type: 'string', minLength: 1 } },
          status: { type: 'string' },
          specimenId: scalar,
          nte: { type: 'integer', minimum: 0 },
          vital: { const: true },
        },
      },
    },
  },
};
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validAstm = ajv.compile(astmSchema);
const validHl7 = ajv.compile(hl7Schema);

const STX = 0x02;
const ETX = 0x03;
const ETB = 0x17;

/** Record text with E1381 framing removed (STX, frame number, ETB/ETX, checksum, trailer) [E1381 8.3.1]. */
const recordTextOf = (capture: Buffer): string => {
  if (!capture.includes(STX)) return capture.toString('utf8');
  const texts: Buffer[] = [];
  let start = capture.indexOf(STX);
  while (start >= 0) {
    let end = start + 1;
    while (end < capture.length && capture[end] !== ETX && capture[end] !== ETB) end += 1;
    texts.push(capture.subarray(start + 2, end));
    start = capture.indexOf(STX, end);
  }
  return Buffer.concat(texts).toString('utf8');
};

const resultRecordsIn = (capture: Buffer): number => {
  const records = recordTextOf(capture).split(/\r\n|\r|\n/);
  const fieldDelimiter = records.find((record) => record.startsWith('H'))?.charAt(1) ?? '|';
  return records.filter((record) => record.startsWith(`R${fieldDelimiter}`)).length;
};

const obxSegmentsIn = (message: Buffer): number =>
  message
    .toString('utf8')
    .split(/\r\n|\r|\n/)
    .filter((segment) => segment.startsWith('OBX|')).length;

const manufacturerOf = (family: string): string => family.split(' ')[0] ?? family;

interface Described {
  family: string;
  results: unknown[];
}

const astmCaptures = filesIn('astm', '.astm');
const hl7Messages = filesIn('hl7', '.hl7');

describe('the lab conformance corpus', () => {
  it('holds at least 15 ASTM captures from at least 8 instrument manufacturers', () => {
    expect(astmCaptures.length).toBeGreaterThanOrEqual(15);
    const manufacturers = new Set(
      astmCaptures.map((name) => manufacturerOf((expectedOf(`astm/${name}`) as Described).family)),
    );
    expect(manufacturers.size).toBeGreaterThanOrEqual(8);
  });

  it('holds at least 15 HL7 ORU^R01 messages, one message per file', () => {
    expect(hl7Messages.length).toBeGreaterThanOrEqual(15);
    for (const name of hl7Messages) {
      const headers =
        bytesOf(`hl7/${name}`)
          .toString('utf8')
          .match(/(^|[\r\n])MSH\|/g) ?? [];
      expect(headers, name).toHaveLength(1);
    }
  });

  it('documents every capture in a row of the README table', () => {
    for (const path of [...astmCaptures.map((n) => `astm/${n}`), ...hl7Messages.map((n) => `hl7/${n}`)]) {
      expect(readme, path).toContain(`| \`${path}\` |`);
    }
  });

  it('leaves no expected file without its capture', () => {
    for (const folder of ['astm', 'hl7'] as const) {
      const captures = new Set(filesIn(folder, `.${folder}`).map((n) => n.replace(/\.(astm|hl7)$/, '')));
      for (const expected of filesIn(folder, '.expected.json')) {
        expect(captures.has(expected.replace('.expected.json', '')), `${folder}/${expected}`).toBe(true);
      }
    }
  });

  describe.each(astmCaptures)('ASTM capture %s', (name) => {
    const expected = expectedOf(`astm/${name}`);

    it('has an expected file that matches the corpus schema', () => {
      expect(validAstm(expected), ajv.errorsText(validAstm.errors)).toBe(true);
    });

    it('expects one result per R record in the capture', () => {
      expect((expected as Described).results).toHaveLength(resultRecordsIn(bytesOf(`astm/${name}`)));
    });
  });

  describe.each(hl7Messages)('HL7 message %s', (name) => {
    const expected = expectedOf(`hl7/${name}`);

    it('has an expected file that matches the corpus schema', () => {
      expect(validHl7(expected), ajv.errorsText(validHl7.errors)).toBe(true);
    });

    it('expects one result per OBX segment in the message', () => {
      expect((expected as Described).results).toHaveLength(obxSegmentsIn(bytesOf(`hl7/${name}`)));
    });
  });
});
