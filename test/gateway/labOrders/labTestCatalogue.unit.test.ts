import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../gateway/errors.ts';
import {
  defaultLabTestsFile,
  loadLabTestCatalogue,
  parseLabTestCatalogue,
} from '../../../gateway/labOrders/labTestCatalogue.ts';

const potassium = {
  code: 'K',
  loinc: '2823-3',
  name: { en: 'Potassium', ar: 'البوتاسيوم' },
  specimenType: 'serum',
  container: 'SST',
};

function refusal(parsed: unknown): string {
  try {
    parseLabTestCatalogue('lab-tests.json', parsed);
  } catch (error) {
    expect(isGatewayError(error) && error.code).toBe('GW_ERR_LAB_TESTS_INVALID');
    return (error as Error).message;
  }
  throw new Error('the catalogue was accepted');
}

describe('the orderable-test catalogue', () => {
  it('ships a default with LOINC codes, Arabic and English names, and a one-hour stat deadline', () => {
    const catalogue = loadLabTestCatalogue(defaultLabTestsFile);
    expect(catalogue.tests.map((test) => test.code)).toEqual([
      'K',
      'NA',
      'CREA',
      'GLU',
      'CBC',
      'HBA1C',
      'MALRDT',
    ]);
    expect(catalogue.tests.every((test) => test.loinc && test.name.ar && test.name.en)).toBe(true);
    expect(catalogue.dueMinutes).toEqual({ stat: 60, urgent: 240 });
  });

  it('refuses a test without an Arabic name, naming the field', () => {
    expect(refusal({ tests: [{ ...potassium, name: { en: 'Potassium' } }] })).toMatch(
      /lab-tests\.json: \/tests\/0\/name must have required property 'ar'/,
    );
  });

  it('refuses a LOINC code without its check digit, showing the value received', () => {
    expect(refusal({ tests: [{ ...potassium, loinc: '2823' }] })).toMatch(
      /\/tests\/0\/loinc .*received "2823"/,
    );
  });

  it('refuses a code used twice', () => {
    expect(refusal({ tests: [potassium, { ...potassium, loinc: '2951-2' }] })).toMatch(
      /\/tests\/1\/code is the code of tests\[0\] too/,
    );
  });

  it('refuses two specimen types in one container: one tube holds one kind of specimen', () => {
    expect(
      refusal({
        tests: [potassium, { ...potassium, code: 'CBC', specimenType: 'whole_blood', loinc: '58410-2' }],
      }),
    ).toMatch(/\/tests\/1\/specimenType differs from the serum of other tests in container "SST"/);
  });

  it('refuses an unknown field and a file that is not JSON', () => {
    expect(refusal({ tests: [potassium], dueHours: 1 })).toMatch(/must NOT have additional properties/);
    expect(() => loadLabTestCatalogue('/nonexistent/lab-tests.json')).toThrow(/cannot be read as JSON/);
  });
});
