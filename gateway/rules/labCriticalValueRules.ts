import type { ThresholdBand } from '../../kernel/clinical/criticalValueRules.ts';

/** A lab critical-value rule: which test codes it watches, in which unit, and its limits. */
export interface LabRule {
  ruleId: string;
  /** The alert's parameter ("potassium"), one alert episode per patient and parameter. */
  parameter: string;
  /** Test codes it applies to, upper case: the analyzers' usual codes and LOINC codes. */
  testCodes: readonly string[];
  /** The unit the limits are in (UCUM). */
  unit: string;
  /** Accepted result units (lower case, as analyzers write them) and the factor to `unit`. */
  units: Readonly<Record<string, number>>;
  bands: readonly ThresholdBand[];
}

const critical = (low: number, high: number): ThresholdBand[] => [
  { direction: 'low', threshold: low, severity: 'critical' },
  { direction: 'high', threshold: high, severity: 'critical' },
];
const perNanolitre = {
  '10*9/l': 1,
  '10^9/l': 1,
  'x10^9/l': 1,
  '10*3/ul': 1,
  '10^3/ul': 1,
  'x10^3/ul': 1,
  'k/ul': 1,
  'g/l': 1,
  // Cells counted one by one (UCUM "/uL", NIST's "{cells}/uL", "/mm3"): 1 /uL = 10^6 /L = 0.001 x 10^9/L.
  '/ul': 0.001,
  '{cells}/ul': 0.001,
  'cells/ul': 0.001,
  '/mm3': 0.001,
};

/**
 * Default lab critical limits: the mean low and high critical limits of the
 * US national survey by Kost GJ, "Critical limits for urgent clinician
 * notification at US medical centers", JAMA 1990;263(5):704-707 (PMID
 * 2296127): glucose 2.6 and 26.9 mmol/L, potassium 2.8 and 6.2 mmol/L,
 * sodium 120 and 158 mmol/L, haemoglobin 66 and 199 g/L, platelets 37 and 910
 * x 10^9/L, white cells 2.0 and 37.0 x 10^9/L. They are adult defaults for a
 * clinic to review with its laboratory and clinicians (newborn limits differ,
 * Kost 1991, Pediatrics 88:597), not a clinical standard of this software.
 * Every limit is `critical` (high priority): a critical lab value is phoned
 * through at once (CLSI GP47).
 */
export const defaultLabRules: readonly LabRule[] = [
  {
    ruleId: 'kost1990-potassium',
    parameter: 'potassium',
    testCodes: ['K', 'K+', 'POT', 'POTASSIUM', 'KALIUM', '2823-3', '6298-4'],
    unit: 'mmol/L',
    units: { 'mmol/l': 1, 'meq/l': 1 },
    bands: critical(2.8, 6.2),
  },
  {
    ruleId: 'kost1990-sodium',
    parameter: 'sodium',
    testCodes: ['NA', 'NA+', 'SOD', 'SODIUM', 'NATRIUM', '2951-2', '2947-0'],
    unit: 'mmol/L',
    units: { 'mmol/l': 1, 'meq/l': 1 },
    bands: critical(120, 158),
  },
  {
    ruleId: 'kost1990-glucose',
    parameter: 'glucose',
    testCodes: ['GLU', 'GLUC', 'GLUCOSE', 'GLU-G', 'BG', '2345-7', '2339-0', '15074-8'],
    unit: 'mmol/L',
    // 1 mmol/L of glucose = 18.016 mg/dL (molar mass 180.16 g/mol).
    units: { 'mmol/l': 1, 'mg/dl': 1 / 18.016, 'mg/100ml': 1 / 18.016 },
    bands: critical(2.6, 26.9),
  },
  {
    ruleId: 'kost1990-haemoglobin',
    parameter: 'haemoglobin',
    testCodes: ['HGB', 'HB', 'HAEMOGLOBIN', 'HEMOGLOBIN', '718-7'],
    unit: 'g/dL',
    // 1 mmol/L of haemoglobin (monomer) = 1.6114 g/dL.
    units: { 'g/dl': 1, 'g/l': 0.1, 'mmol/l': 1.6114 },
    bands: critical(6.6, 19.9),
  },
  {
    ruleId: 'kost1990-platelets',
    parameter: 'platelets',
    testCodes: ['PLT', 'PLATELETS', '777-3', '26515-7'],
    unit: '10*9/L',
    units: perNanolitre,
    bands: critical(37, 910),
  },
  {
    ruleId: 'kost1990-white-cells',
    parameter: 'whiteCells',
    testCodes: ['WBC', 'LEU', 'LEUKOCYTES', '6690-2', '804-5', '26464-8'],
    unit: '10*9/L',
    units: perNanolitre,
    bands: critical(2.0, 37.0),
  },
];

/** The rule for a test code, if any (codes compared in upper case). */
export function labRuleFor(testCode: string, rules: readonly LabRule[]): LabRule | undefined {
  const code = testCode.toUpperCase();
  return rules.find((rule) => rule.testCodes.includes(code));
}

/** The value in the rule's unit, or undefined when the result's unit is not one the rule knows. */
export function inRuleUnit(rule: LabRule, value: number, unit: string | undefined): number | undefined {
  const factor = unit === undefined ? undefined : rule.units[unit.trim().toLowerCase().replace(/µ/g, 'u')];
  return factor === undefined ? undefined : Math.round(value * factor * 1000) / 1000;
}
