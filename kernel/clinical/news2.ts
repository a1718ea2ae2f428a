import {
  type ConsciousnessLevel,
  consciousnessScore,
  news2Chart,
  type NumericChartRow,
  type ParameterScore,
  scoreOn,
  supplementalOxygenScore,
} from './news2Chart.ts';

/** The seven parameters of NEWS2, in the chart's order. */
export const news2Parameters = [
  'respiratoryRate',
  'oxygenSaturation',
  'supplementalOxygen',
  'systolicBloodPressure',
  'heartRate',
  'consciousness',
  'temperature',
] as const;
export type News2Parameter = (typeof news2Parameters)[number];

/** One set of observations; a parameter not observed is absent. */
export interface News2Observations {
  respiratoryRate?: number;
  oxygenSaturation?: number;
  supplementalOxygen?: boolean;
  systolicBloodPressure?: number;
  heartRate?: number;
  consciousness?: ConsciousnessLevel;
  temperature?: number;
}

/** The measured parameters NEWS2 scores, as the latest vital signs carry them. */
const measuredParameters = [
  'respiratoryRate',
  'oxygenSaturation',
  'systolicBloodPressure',
  'heartRate',
  'temperature',
] as const;

/**
 * The observations NEWS2 scores from the latest reading of each vital sign
 * and the latest hand-entered oxygen and consciousness: one reading, shared
 * by the gateway's chart and the board's live score so they always agree.
 */
export function news2ObservationsOf(
  readings: Partial<Record<(typeof measuredParameters)[number], { value: number }>>,
  entered: { supplementalOxygen?: { value: boolean }; consciousness?: { value: ConsciousnessLevel } },
): News2Observations {
  const observations: News2Observations = {};
  for (const name of measuredParameters) {
    const reading = readings[name];
    if (reading) observations[name] = reading.value;
  }
  if (entered.supplementalOxygen) observations.supplementalOxygen = entered.supplementalOxygen.value;
  if (entered.consciousness) observations.consciousness = entered.consciousness.value;
  return observations;
}

/** Scale 2 only for a patient a clinician has judged at risk of hypercapnic respiratory failure. */
export type Spo2Scale = 1 | 2;

/**
 * The clinical-response bands of the chart: `lowMedium` is a total of 0-4
 * with a score of 3 in any single parameter (an urgent ward-based response).
 */
export const news2Bands = ['low', 'lowMedium', 'medium', 'high'] as const;
export type News2Band = (typeof news2Bands)[number];

export interface News2Score {
  /** Sum of the scored parameters; with parameters missing, the least the full score can be. */
  total: number;
  /** The band of `total`; with parameters missing, the least band the full score can be in. */
  band: News2Band;
  /** True only when all seven parameters were observed. */
  complete: boolean;
  /** Parameters not observed, in the chart's order: a nurse completes the set before trusting the band. */
  missing: News2Parameter[];
  scores: Partial<Record<News2Parameter, ParameterScore>>;
  spo2Scale: Spo2Scale;
}

/**
 * NEWS2 of one set of observations (Royal College of Physicians, 2017,
 * chart 1). A missing parameter is named, never scored as 0 silently: the
 * total of an incomplete set is a lower bound, and so is its band, since
 * every parameter scores 0 or more. On scale 2 with the oxygen unknown,
 * SpO2 is scored as if on air (the lower of the two) and oxygen is missing.
 */
export function news2Score(observations: News2Observations, spo2Scale: Spo2Scale = 1): News2Score {
  const scores: Partial<Record<News2Parameter, ParameterScore>> = {};
  const { supplementalOxygen, consciousness } = observations;
  for (const name of ['respiratoryRate', 'systolicBloodPressure', 'heartRate', 'temperature'] as const) {
    const value = observations[name];
    if (value !== undefined) scores[name] = scoreOn(news2Chart[name], value);
  }
  if (observations.oxygenSaturation !== undefined)
    scores.oxygenSaturation = scoreOn(spo2Row(spo2Scale, supplementalOxygen), observations.oxygenSaturation);
  if (supplementalOxygen !== undefined)
    scores.supplementalOxygen = supplementalOxygen ? supplementalOxygenScore : 0;
  if (consciousness !== undefined) scores.consciousness = consciousnessScore(consciousness);
  const missing = news2Parameters.filter((name) => scores[name] === undefined);
  const values = Object.values(scores);
  const total = values.reduce<number>((sum, score) => sum + score, 0);
  return {
    total,
    band: news2Band(total, values.includes(3)),
    complete: missing.length === 0,
    missing,
    scores,
    spo2Scale,
  };
}

/** The clinical-response band: >= 7 high, 5-6 medium, a single 3 low-medium, else low. */
export function news2Band(total: number, anySingleThree: boolean): News2Band {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return anySingleThree ? 'lowMedium' : 'low';
}

function spo2Row(scale: Spo2Scale, onOxygen: boolean | undefined): NumericChartRow {
  if (scale === 1) return news2Chart.spo2Scale1;
  return onOxygen ? news2Chart.spo2Scale2OnOxygen : news2Chart.spo2Scale2OnAir;
}
