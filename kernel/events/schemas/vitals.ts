/**
 * Vital-sign parameters as the gateway records them: one canonical unit each
 * (UCUM codes, as FHIR's vital-signs profile uses), with the physiologically
 * possible range beyond which a reading is refused as a device fault.
 */
export const vitalParameters = [
  'oxygenSaturation',
  'heartRate',
  'respiratoryRate',
  'systolicBloodPressure',
  'diastolicBloodPressure',
  'temperature',
] as const;

export type VitalParameter = (typeof vitalParameters)[number];

export interface VitalParameterSpec {
  /** UCUM unit stored in events. */
  unit: string;
  /** Inclusive bounds of a possible reading; outside is a device or entry error. */
  minimum: number;
  maximum: number;
  /** LOINC code (FHIR vital-signs profile), for the hub's FHIR service. */
  loinc: string;
}

export const vitalParameterSpecs: Record<VitalParameter, VitalParameterSpec> = {
  oxygenSaturation: { unit: '%', minimum: 0, maximum: 100, loinc: '59408-5' },
  heartRate: { unit: '/min', minimum: 0, maximum: 350, loinc: '8867-4' },
  respiratoryRate: { unit: '/min', minimum: 0, maximum: 150, loinc: '9279-1' },
  systolicBloodPressure: { unit: 'mm[Hg]', minimum: 0, maximum: 350, loinc: '8480-6' },
  diastolicBloodPressure: { unit: 'mm[Hg]', minimum: 0, maximum: 300, loinc: '8462-4' },
  temperature: { unit: 'Cel', minimum: 20, maximum: 46, loinc: '8310-5' },
};
