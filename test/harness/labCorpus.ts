import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The lab conformance corpus of test/data (its README names each file's
 * origin and licence): captures and messages from public sources, each
 * with the results a reader of the source expects.
 */
const corpusDir = fileURLToPath(new URL('../data/', import.meta.url));

export interface AstmExpected {
  family: string;
  framing: 'e1381' | 'records';
  link: { checksum?: 'none'; frameNumbers?: 'lenient' };
  messages: number;
  qc: boolean;
  comments: number;
  /** The code the gateway refuses the whole message with (quarantined, nothing stored): a negative case. */
  refused?: string;
  results: {
    seq: string;
    testId: string;
    specimenId: string | null;
    value: number | string | null;
    comparator?: '<' | '>' | '<=' | '>=';
    unit: string | null;
    range: string | null;
    flags: string[];
    status: string;
    time: string | null;
  }[];
}

export interface Hl7Expected {
  family: string;
  controlId: string;
  obrGroups: number;
  results: {
    setId: string;
    code: string;
    system: string;
    subId: string;
    valueType: string;
    value: number | string | null;
    comparator: string | null;
    unit: string | null;
    range: string | null;
    flags: string[];
    status: string;
    specimenId: string | null;
    nte: number;
    vital?: boolean;
  }[];
}

export interface CorpusFile<Expected> {
  name: string;
  bytes: Buffer;
  expected: Expected;
}

function filesOf<Expected>(folder: 'astm' | 'hl7'): CorpusFile<Expected>[] {
  const dir = `${corpusDir}${folder}/`;
  return readdirSync(dir)
    .filter((name) => name.endsWith(`.${folder}`))
    .sort()
    .map((file) => ({
      name: file.replace(/\.(astm|hl7)$/, ''),
      bytes: readFileSync(`${dir}${file}`),
      expected: JSON.parse(
        readFileSync(`${dir}${file.replace(/\.(astm|hl7)$/, '.expected.json')}`, 'utf8'),
      ) as Expected,
    }));
}

export const astmCorpus = (): CorpusFile<AstmExpected>[] => filesOf<AstmExpected>('astm');
export const hl7Corpus = (): CorpusFile<Hl7Expected>[] => filesOf<Hl7Expected>('hl7');
