import { describe, expect, it } from 'vitest';
import { type News2Observations, news2Score } from '../../../kernel/clinical/news2.ts';

/**
 * Royal College of Physicians. National Early Warning Score (NEWS) 2, 2017,
 * chart 1, copied here from the published chart (not from the code): each
 * band's two edges with the score the chart prints for them.
 */
const chart1: [string, News2Observations, number][] = [
  // Respiration rate (per minute): <=8 3 | 9-11 1 | 12-20 0 | 21-24 2 | >=25 3
  ['respiration rate 8', { respiratoryRate: 8 }, 3],
  ['respiration rate 9', { respiratoryRate: 9 }, 1],
  ['respiration rate 11', { respiratoryRate: 11 }, 1],
  ['respiration rate 12', { respiratoryRate: 12 }, 0],
  ['respiration rate 20', { respiratoryRate: 20 }, 0],
  ['respiration rate 21', { respiratoryRate: 21 }, 2],
  ['respiration rate 24', { respiratoryRate: 24 }, 2],
  ['respiration rate 25', { respiratoryRate: 25 }, 3],
  // SpO2 scale 1 (%): <=91 3 | 92-93 2 | 94-95 1 | >=96 0
  ['SpO2 scale 1, 91', { oxygenSaturation: 91 }, 3],
  ['SpO2 scale 1, 92', { oxygenSaturation: 92 }, 2],
  ['SpO2 scale 1, 93', { oxygenSaturation: 93 }, 2],
  ['SpO2 scale 1, 94', { oxygenSaturation: 94 }, 1],
  ['SpO2 scale 1, 95', { oxygenSaturation: 95 }, 1],
  ['SpO2 scale 1, 96', { oxygenSaturation: 96 }, 0],
  ['SpO2 scale 1, 100', { oxygenSaturation: 100 }, 0],
  // Air or oxygen: oxygen 2 | air 0
  ['on oxygen', { supplementalOxygen: true }, 2],
  ['on air', { supplementalOxygen: false }, 0],
  // Systolic blood pressure (mmHg): <=90 3 | 91-100 2 | 101-110 1 | 111-219 0 | >=220 3
  ['systolic 90', { systolicBloodPressure: 90 }, 3],
  ['systolic 91', { systolicBloodPressure: 91 }, 2],
  ['systolic 100', { systolicBloodPressure: 100 }, 2],
  ['systolic 101', { systolicBloodPressure: 101 }, 1],
  ['systolic 110', { systolicBloodPressure: 110 }, 1],
  ['systolic 111', { systolicBloodPressure: 111 }, 0],
  ['systolic 219', { systolicBloodPressure: 219 }, 0],
  ['systolic 220', { systolicBloodPressure: 220 }, 3],
  // Pulse (per minute): <=40 3 | 41-50 1 | 51-90 0 | 91-110 1 | 111-130 2 | >=131 3
  ['pulse 40', { heartRate: 40 }, 3],
  ['pulse 41', { heartRate: 41 }, 1],
  ['pulse 50', { heartRate: 50 }, 1],
  ['pulse 51', { heartRate: 51 }, 0],
  ['pulse 90', { heartRate: 90 }, 0],
  ['pulse 91', { heartRate: 91 }, 1],
  ['pulse 110', { heartRate: 110 }, 1],
  ['pulse 111', { heartRate: 111 }, 2],
  ['pulse 130', { heartRate: 130 }, 2],
  ['pulse 131', { heartRate: 131 }, 3],
  // Consciousness: Alert 0 | CVPU 3
  ['alert', { consciousness: 'A' }, 0],
  ['new confusion', { consciousness: 'C' }, 3],
  ['responds to voice', { consciousness: 'V' }, 3],
  ['responds to pain', { consciousness: 'P' }, 3],
  ['unresponsive', { consciousness: 'U' }, 3],
  // Temperature (°C): <=35.0 3 | 35.1-36.0 1 | 36.1-38.0 0 | 38.1-39.0 1 | >=39.1 2
  ['temperature 35.0', { temperature: 35.0 }, 3],
  ['temperature 35.1', { temperature: 35.1 }, 1],
  ['temperature 36.0', { temperature: 36.0 }, 1],
  ['temperature 36.1', { temperature: 36.1 }, 0],
  ['temperature 38.0', { temperature: 38.0 }, 0],
  ['temperature 38.1', { temperature: 38.1 }, 1],
  ['temperature 39.0', { temperature: 39.0 }, 1],
  ['temperature 39.1', { temperature: 39.1 }, 2],
];

/** Chart 1, SpO2 scale 2 (%): <=83 3 | 84-85 2 | 86-87 1 | 88-92 or >=93 on air 0 | 93-94 on oxygen 1 | 95-96 on oxygen 2 | >=97 on oxygen 3. */
const scale2: [number, boolean, number][] = [
  [83, false, 3],
  [84, false, 2],
  [85, false, 2],
  [86, false, 1],
  [87, false, 1],
  [88, false, 0],
  [92, false, 0],
  [93, false, 0],
  [100, false, 0],
  [83, true, 3],
  [87, true, 1],
  [88, true, 0],
  [92, true, 0],
  [93, true, 1],
  [94, true, 1],
  [95, true, 2],
  [96, true, 2],
  [97, true, 3],
  [100, true, 3],
];

/** A complete set that scores 0 everywhere, to change one parameter at a time. */
const normal: Required<News2Observations> = {
  respiratoryRate: 16,
  oxygenSaturation: 97,
  supplementalOxygen: false,
  systolicBloodPressure: 120,
  heartRate: 70,
  consciousness: 'A',
  temperature: 37.0,
};

describe('NEWS2 single-parameter scores (RCP 2017, chart 1)', () => {
  it.each(chart1)('%s scores %i', (_name, observation, expected) => {
    const [parameter] = Object.keys(observation) as (keyof News2Observations)[];
    const score = news2Score({ ...normal, ...observation });
    expect(score.scores[parameter!]).toBe(expected);
    expect(score.total).toBe(expected);
  });

  it.each(scale2)('on scale 2, SpO2 %i with oxygen %s scores %i', (spo2, onOxygen, expected) => {
    const score = news2Score({ ...normal, oxygenSaturation: spo2, supplementalOxygen: onOxygen }, 2);
    expect(score.scores.oxygenSaturation).toBe(expected);
    expect(score.total).toBe(expected + (onOxygen ? 2 : 0));
    expect(score.spo2Scale).toBe(2);
  });

  it('scores a device reading between two edges at the chart resolution (whole numbers, 0.1 °C)', () => {
    expect(news2Score({ ...normal, respiratoryRate: 20.4 }).scores.respiratoryRate).toBe(0);
    expect(news2Score({ ...normal, respiratoryRate: 20.6 }).scores.respiratoryRate).toBe(2);
    expect(news2Score({ ...normal, temperature: 35.04 }).scores.temperature).toBe(3);
    expect(news2Score({ ...normal, temperature: 39.06 }).scores.temperature).toBe(2);
  });
});

describe('NEWS2 total and clinical-response band', () => {
  it('is low at 0-4 without a single 3', () => {
    const score = news2Score({ ...normal, respiratoryRate: 22, heartRate: 95, temperature: 38.5 });
    expect(score).toMatchObject({ total: 4, band: 'low', complete: true, missing: [] });
  });

  it('is low-medium when one parameter scores 3 and the total stays under 5', () => {
    expect(news2Score({ ...normal, consciousness: 'V' })).toMatchObject({ total: 3, band: 'lowMedium' });
  });

  it('is medium at 5 and 6', () => {
    expect(
      news2Score({ ...normal, supplementalOxygen: true, oxygenSaturation: 93, heartRate: 95 }),
    ).toMatchObject({
      total: 5,
      band: 'medium',
    });
    expect(
      news2Score({ ...normal, oxygenSaturation: 91, systolicBloodPressure: 95, heartRate: 95 }),
    ).toMatchObject({
      total: 6,
      band: 'medium',
    });
  });

  it('is high at 7 and above', () => {
    expect(news2Score({ ...normal, oxygenSaturation: 91, respiratoryRate: 25, heartRate: 95 })).toMatchObject(
      {
        total: 7,
        band: 'high',
      },
    );
  });
});

describe('NEWS2 from incomplete observations', () => {
  it('names the missing parameters in chart order and does not call the set complete', () => {
    const score = news2Score({ respiratoryRate: 16, oxygenSaturation: 97, heartRate: 70, temperature: 37 });
    expect(score).toMatchObject({
      total: 0,
      band: 'low',
      complete: false,
      missing: ['supplementalOxygen', 'systolicBloodPressure', 'consciousness'],
    });
  });

  it('names all seven when nothing was observed', () => {
    expect(news2Score({}).missing).toHaveLength(7);
  });

  it('keeps a band already reached by the observed parameters (a lower bound)', () => {
    expect(news2Score({ oxygenSaturation: 88, respiratoryRate: 26, heartRate: 120 })).toMatchObject({
      total: 8,
      band: 'high',
      complete: false,
    });
  });

  it('scores SpO2 on scale 2 as on air when the oxygen is unknown, and names oxygen missing', () => {
    const score = news2Score({ oxygenSaturation: 97 }, 2);
    expect(score.scores.oxygenSaturation).toBe(0);
    expect(score.missing).toContain('supplementalOxygen');
  });
});
