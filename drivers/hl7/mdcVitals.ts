import type { VitalParameter } from '../../kernel/events/schemas/vitals.ts';

/**
 * ISO/IEEE 11073-10101 (MDC) observation codes that monitors send in OBX-3
 * under IHE PCD-01 ("Communicate PCD Data"), and the vital sign each is.
 * The number is the context-free code: partition x 65536 + term code, with
 * physiological measurements in partition 2 (SCADA, 131072) and units in
 * partition 4 (DIM, 262144). Sources checked: the GE B40 PCD-01 interface
 * guide (147842 MDC_ECG_HEART_RATE, 150033..150035 MDC_PRESS_BLD_ART_*, units
 * 264864 MDC_DIM_BEAT_PER_MIN and 266016 MDC_DIM_MMHG), the HL7 Denmark
 * "IEEE Basic Observation" value set (151562 MDC_RESP_RATE, 151570
 * MDC_AWAY_RESP_RATE, 151578 MDC_TTHOR_RESP_RATE, 151594 MDC_CO2_RESP_RATE),
 * IHE PCD-01 sample messages (150456 MDC_PULS_OXIM_SAT_O2, 149530
 * MDC_PULS_OXIM_PULS_RATE, 150021/150022/150023 MDC_PRESS_BLD_NONINV_SYS/DIA/MEAN,
 * 150344 MDC_TEMP) and the 10101 term codes of body temperatures (19292
 * MDC_TEMP_BODY, 19308 ORAL, 19312 AXILLA, 19316 RECT, 19320 TYMP).
 *
 * Order matters: when one message holds several codes for one parameter the
 * first listed wins (an ECG heart rate over a pulse rate; non-invasive
 * pressure, as nurses read it, over arterial), and the others are counted as
 * not recorded.
 */
export const mdcVitalCodes: readonly { code: string; name: string; parameter: VitalParameter }[] = [
  { code: '150456', name: 'MDC_PULS_OXIM_SAT_O2', parameter: 'oxygenSaturation' },
  { code: '147842', name: 'MDC_ECG_HEART_RATE', parameter: 'heartRate' },
  { code: '149530', name: 'MDC_PULS_OXIM_PULS_RATE', parameter: 'heartRate' },
  { code: '149546', name: 'MDC_PULS_RATE_NON_INV', parameter: 'heartRate' },
  { code: '151562', name: 'MDC_RESP_RATE', parameter: 'respiratoryRate' },
  { code: '151578', name: 'MDC_TTHOR_RESP_RATE', parameter: 'respiratoryRate' },
  { code: '151570', name: 'MDC_AWAY_RESP_RATE', parameter: 'respiratoryRate' },
  { code: '151594', name: 'MDC_CO2_RESP_RATE', parameter: 'respiratoryRate' },
  { code: '150021', name: 'MDC_PRESS_BLD_NONINV_SYS', parameter: 'systolicBloodPressure' },
  { code: '150033', name: 'MDC_PRESS_BLD_ART_SYS', parameter: 'systolicBloodPressure' },
  { code: '150022', name: 'MDC_PRESS_BLD_NONINV_DIA', parameter: 'diastolicBloodPressure' },
  { code: '150034', name: 'MDC_PRESS_BLD_ART_DIA', parameter: 'diastolicBloodPressure' },
  { code: '150364', name: 'MDC_TEMP_BODY', parameter: 'temperature' },
  { code: '150344', name: 'MDC_TEMP', parameter: 'temperature' },
  { code: '150380', name: 'MDC_TEMP_ORAL', parameter: 'temperature' },
  { code: '150384', name: 'MDC_TEMP_AXILLA', parameter: 'temperature' },
  { code: '150388', name: 'MDC_TEMP_RECT', parameter: 'temperature' },
  { code: '150392', name: 'MDC_TEMP_TYMP', parameter: 'temperature' },
];

/**
 * Units in OBX-6, by MDC code or by the text senders write, as converters
 * to the event's UCUM unit (kernel/events/schemas/vitals.ts). A unit not
 * listed for the parameter refuses the observation: a wrong unit is worse
 * than no value.
 */
const percent = { '262688': (v: number) => v, MDC_DIM_PERCENT: (v: number) => v, '%': (v: number) => v };
const perMinute = {
  '264864': (v: number) => v,
  MDC_DIM_BEAT_PER_MIN: (v: number) => v,
  '264928': (v: number) => v,
  MDC_DIM_RESP_PER_MIN: (v: number) => v,
  '/min': (v: number) => v,
  bpm: (v: number) => v,
  rpm: (v: number) => v,
  '{beats}/min': (v: number) => v,
  '{breaths}/min': (v: number) => v,
};
const pressure = {
  '266016': (v: number) => v,
  MDC_DIM_MMHG: (v: number) => v,
  'mm[Hg]': (v: number) => v,
  mmHg: (v: number) => v,
  MDC_DIM_KILO_PASCAL: (v: number) => v * 7.50062,
  kPa: (v: number) => v * 7.50062,
};
const fahrenheit = (v: number) => ((v - 32) * 5) / 9;
const temperature = {
  '268192': (v: number) => v,
  MDC_DIM_DEGC: (v: number) => v,
  Cel: (v: number) => v,
  '°C': (v: number) => v,
  C: (v: number) => v,
  '266560': fahrenheit,
  MDC_DIM_FAHR: fahrenheit,
  '[degF]': fahrenheit,
  '°F': fahrenheit,
};

export const mdcUnitConverters: Record<VitalParameter, Record<string, (value: number) => number>> = {
  oxygenSaturation: percent,
  heartRate: perMinute,
  respiratoryRate: perMinute,
  systolicBloodPressure: pressure,
  diastolicBloodPressure: pressure,
  temperature,
};

const byCode = new Map(mdcVitalCodes.map((entry, rank) => [entry.code, { ...entry, rank }]));

export function mdcVital(code: string) {
  return byCode.get(code);
}
