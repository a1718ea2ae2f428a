import { readFileSync } from 'node:fs';

/** A drug as a table names it: by WHO ATC code when it has one, and by name. */
export interface TableDrug {
  name: string;
  atc?: string;
}

export interface InteractionEntry {
  drugs: [TableDrug, TableDrug];
  severity: 'contraindicated' | 'major' | 'moderate' | 'minor';
  description: string;
  recommendation?: string;
}

export interface DoseRange {
  name: string;
  atc?: string;
  route: string;
  unit: string;
  minSingle?: number;
  maxSingle?: number;
  maxDaily?: number;
}

export interface AllergyClass {
  allergen: string;
  atcPrefixes: string[];
  names: string[];
}

export interface GuidelineEntry {
  icd10Prefixes: string[];
  title: string;
  publisher: string;
  reference: string;
}

/** The versioned tables the checks read (hub/data/cds/*.json); `source` says where each comes from. */
export interface CdsTables {
  interactions: { version: string; source: string; entries: InteractionEntry[] };
  doseRanges: { version: string; source: string; entries: DoseRange[] };
  allergyClasses: { version: string; source: string; entries: AllergyClass[] };
  guidelines: { version: string; source: string; entries: GuidelineEntry[] };
}

const dataDir = new URL('../../data/cds/', import.meta.url);

function read(file: string, listName: string) {
  const parsed = JSON.parse(readFileSync(new URL(file, dataDir), 'utf8')) as Record<string, unknown>;
  const list = parsed[listName];
  if (typeof parsed.version !== 'string' || typeof parsed.source !== 'string' || !Array.isArray(list))
    throw new Error(`hub/data/cds/${file} needs "version", "source" and a "${listName}" list`);
  return { version: parsed.version, source: parsed.source, entries: list };
}

/** Reads the shipped tables once at start; a broken file stops the service before it reads a record. */
export function loadCdsTables(): CdsTables {
  return {
    interactions: read('interactions.v1.json', 'interactions') as CdsTables['interactions'],
    doseRanges: read('dose-ranges.v1.json', 'ranges') as CdsTables['doseRanges'],
    allergyClasses: read('allergy-classes.v1.json', 'classes') as CdsTables['allergyClasses'],
    guidelines: read('guidelines.v1.json', 'guidelines') as CdsTables['guidelines'],
  };
}

/** Lower case, single spaces: "Amoxicillin  " and "amoxicillin" are the same drug name. */
export function normalName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Whether a prescribed drug is the table's drug: same ATC code, else same name. */
export function sameDrug(drug: { drugName: string; atcCode?: string }, entry: TableDrug): boolean {
  if (drug.atcCode && entry.atc) return drug.atcCode === entry.atc;
  return normalName(drug.drugName) === normalName(entry.name);
}
