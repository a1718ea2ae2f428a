import {
  type CdsTables,
  type DoseRange,
  type GuidelineEntry,
  type InteractionEntry,
  normalName,
  sameDrug,
} from './cdsTables.ts';

/** A prescription as the checks see it (medication_prescribed data, plus its event). */
export interface Prescription {
  medicationRequestId: string;
  drugName: string;
  atcCode?: string;
  dose: { value: number; unit: string };
  route: string;
  frequency: string;
}

export interface InteractionFinding {
  kind: 'interaction';
  with: Pick<Prescription, 'medicationRequestId' | 'drugName' | 'atcCode'>;
  entry: InteractionEntry;
}

export interface AllergyFinding {
  kind: 'allergy';
  allergen: string;
}

export interface DoseFinding {
  kind: 'dose';
  rule: 'above_max_single_dose' | 'above_max_daily_dose' | 'below_min_dose';
  limit: string;
}

export type CdsFinding = InteractionFinding | AllergyFinding | DoseFinding;

/** Doses a day for each chart frequency; undefined when the day's total is not known (prn, other ...). */
const dosesPerDay: Readonly<Record<string, number | undefined>> = {
  once: 1,
  stat: 1,
  daily: 1,
  nightly: 1,
  bid: 2,
  q12h: 2,
  tid: 3,
  q8h: 3,
  qid: 4,
  q6h: 4,
  q4h: 6,
};

/** The new prescription against each active one of the same patient: one finding per interacting pair. */
export function interactionsOf(
  prescription: Prescription,
  active: readonly Prescription[],
  tables: Pick<CdsTables, 'interactions'>,
): InteractionFinding[] {
  const findings: InteractionFinding[] = [];
  for (const other of active) {
    if (other.medicationRequestId === prescription.medicationRequestId) continue;
    const entry = tables.interactions.entries.find(
      ({ drugs: [a, b] }) =>
        (sameDrug(prescription, a) && sameDrug(other, b)) ||
        (sameDrug(prescription, b) && sameDrug(other, a)),
    );
    if (entry)
      findings.push({
        kind: 'interaction',
        with: {
          medicationRequestId: other.medicationRequestId,
          drugName: other.drugName,
          ...(other.atcCode ? { atcCode: other.atcCode } : {}),
        },
        entry,
      });
  }
  return findings;
}

/**
 * The patient's recorded allergies that the drug falls under: the drug itself
 * ("amoxicillin"), or a class it belongs to by ATC group or by name ("penicillin").
 */
export function allergiesOf(
  prescription: Prescription,
  allergies: readonly string[],
  tables: Pick<CdsTables, 'allergyClasses'>,
): AllergyFinding[] {
  const drug = normalName(prescription.drugName);
  return allergies
    .filter((allergy) => {
      const allergen = normalName(allergy);
      if (allergen === drug) return true;
      const group = tables.allergyClasses.entries.find((entry) => normalName(entry.allergen) === allergen);
      if (!group) return false;
      const byAtc = prescription.atcCode
        ? group.atcPrefixes.some((prefix) => prescription.atcCode!.startsWith(prefix))
        : false;
      return byAtc || group.names.some((name) => normalName(name) === drug);
    })
    .map((allergen) => ({ kind: 'allergy', allergen }));
}

/** Single and daily dose against the drug's range for its route and unit; nothing when no range applies. */
export function doseProblemsOf(
  prescription: Prescription,
  tables: Pick<CdsTables, 'doseRanges'>,
): DoseFinding[] {
  const range: DoseRange | undefined = tables.doseRanges.entries.find(
    (entry) =>
      sameDrug(prescription, entry) &&
      entry.route === prescription.route &&
      entry.unit === prescription.dose.unit,
  );
  if (!range) return [];
  const { value, unit } = prescription.dose;
  if (range.maxSingle !== undefined && value > range.maxSingle)
    return [
      { kind: 'dose', rule: 'above_max_single_dose', limit: `max ${range.maxSingle} ${unit} per dose` },
    ];
  if (range.minSingle !== undefined && value < range.minSingle)
    return [{ kind: 'dose', rule: 'below_min_dose', limit: `min ${range.minSingle} ${unit} per dose` }];
  const perDay = dosesPerDay[prescription.frequency];
  if (range.maxDaily !== undefined && perDay !== undefined && value * perDay > range.maxDaily)
    return [{ kind: 'dose', rule: 'above_max_daily_dose', limit: `max ${range.maxDaily} ${unit}/day` }];
  return [];
}

/** Every finding for one new prescription, in a fixed order: interactions, allergies, dose. */
export function checkPrescription(
  prescription: Prescription,
  context: { active: readonly Prescription[]; allergies: readonly string[] },
  tables: CdsTables,
): CdsFinding[] {
  return [
    ...interactionsOf(prescription, context.active, tables),
    ...allergiesOf(prescription, context.allergies, tables),
    ...doseProblemsOf(prescription, tables),
  ];
}

/** The guideline for an ICD-10 code: the entry with the longest matching prefix. */
export function guidelineFor(
  code: string,
  tables: Pick<CdsTables, 'guidelines'>,
): GuidelineEntry | undefined {
  let best: { entry: GuidelineEntry; length: number } | undefined;
  for (const entry of tables.guidelines.entries)
    for (const prefix of entry.icd10Prefixes)
      if (code.startsWith(prefix) && (!best || prefix.length > best.length))
        best = { entry, length: prefix.length };
  return best?.entry;
}
