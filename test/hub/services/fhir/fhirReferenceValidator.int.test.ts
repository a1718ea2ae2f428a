import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirExamplesDir } from '../../../harness/fhirSchema.ts';
import {
  type FhirValidatorProcess,
  fhirValidator,
  issueLine,
  validatorStartTimeoutMs,
} from '../../../harness/fhirValidator.ts';

/**
 * The reference validator itself, against the official FHIR R4 examples of
 * the shared test data: it must pass what HL7 publishes (else a failure in the
 * hub's tests could be the validator's) and catch an invariant the JSON schema
 * cannot see (mad-1).
 */
describe("HAPI FHIR's reference validator", () => {
  let validator: FhirValidatorProcess;
  beforeAll(async () => {
    validator = await fhirValidator();
  }, validatorStartTimeoutMs);
  afterAll(() => validator?.close());

  /** Examples that do not pass, each with why (none is the hub's: they are HL7's own files). */
  const knownFailures: Record<string, string> = {};

  it('passes every official R4 example of the shared corpus, external code systems counted apart', async () => {
    const files = readdirSync(fhirExamplesDir).filter((file) => file.endsWith('.json'));
    const failures: Record<string, string[]> = {};
    let external = 0;
    for (const file of files) {
      const verdict = await validator.validate(JSON.parse(readFileSync(join(fhirExamplesDir, file), 'utf8')));
      external += verdict.externalTerminology.length;
      if (verdict.errors.length > 0) failures[file] = verdict.errors.map(issueLine);
    }
    expect(files.length).toBeGreaterThan(30);
    expect(failures).toEqual(
      Object.fromEntries(Object.keys(knownFailures).map((file) => [file, expect.anything()])),
    );
    expect(external).toBeGreaterThan(0);
  }, 300_000);

  it('refuses a held dose whose dosage has a route and no dose (invariant mad-1), which the JSON schema lets through', async () => {
    const verdict = await validator.validate({
      resourceType: 'MedicationAdministration',
      status: 'not-done',
      medicationCodeableConcept: { text: 'Artesunate' },
      subject: { reference: 'Patient/p-1' },
      effectiveDateTime: '2026-12-07T10:00:00Z',
      dosage: { route: { text: 'intravenous' } },
    });
    expect(verdict.errors.map((issue) => issue.messageId)).toContain(
      'http://hl7.org/fhir/StructureDefinition/MedicationAdministration#mad-1',
    );
  });

  it('counts a LOINC code it cannot check offline, and does not fail it', async () => {
    const verdict = await validator.validate({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] },
      subject: { reference: 'Patient/p-1' },
      effectiveDateTime: '2026-12-07T10:00:00Z',
      valueQuantity: { value: 4.1, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    });
    expect(verdict.errors).toEqual([]);
    expect(verdict.externalTerminology.length).toBe(1);
  });
});
