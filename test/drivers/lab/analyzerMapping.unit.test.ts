import { describe, expect, it } from 'vitest';
import { analyzerMappingOf, mappedQuantity, mappedTestCode } from '../../../drivers/lab/analyzerMapping.ts';

const mapping = analyzerMappingOf(
  { WBC: '6690-2', '^^^TB^Xpert^^rpoB1^Ct': 'TB-RPOB1-CT' },
  { '10E3/uL': '10*3/uL', '{cells}/uL': '/uL', 'mg/dl': { unit: 'mmol/L', factor: 0.0555 } },
);

describe("a technician's mapping of an analyzer's codes and units (drivers.json)", () => {
  it('maps the most specific code the technician named', () => {
    expect(mappedTestCode(mapping, ['^^^TB^Xpert^^rpoB1^Ct', 'TB^rpoB1^Ct', 'TB'])).toBe('TB-RPOB1-CT');
    expect(mappedTestCode(mapping, ['^^^^WBC^1', 'WBC'])).toBe('6690-2');
    expect(mappedTestCode(mapping, ['HGB'])).toBeUndefined();
  });

  it('renames a unit and keeps what the analyzer said', () => {
    expect(mappedQuantity(mapping, { value: 105.6 }, '10E3/uL')).toEqual({
      value: { value: 105.6 },
      unit: '10*3/uL',
      reported: { value: 105.6, unit: '10E3/uL' },
    });
    expect(mappedQuantity(mapping, { value: 105600 }, '{cells}/uL').unit).toBe('/uL');
  });

  it('converts with the factor, ignoring the case of the unit, keeping the comparator', () => {
    expect(mappedQuantity(mapping, { value: 182, comparator: '>' }, 'MG/DL')).toEqual({
      value: { value: 10.101, comparator: '>' },
      unit: 'mmol/L',
      reported: { value: 182, unit: 'MG/DL' },
    });
  });

  it('leaves text values and unmapped units as they are', () => {
    expect(mappedQuantity(mapping, { value: 'POSITIVE' }, 'mg/dl').value).toEqual({ value: 'POSITIVE' });
    expect(mappedQuantity(mapping, { value: 4.1 }, 'mmol/L')).toEqual({
      value: { value: 4.1 },
      unit: 'mmol/L',
    });
  });
});
