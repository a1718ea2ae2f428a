import { describe, expect, it } from 'vitest';
import { urlForLog } from '../../../gateway/http/requestLogView.ts';

describe('a URL in the request log', () => {
  it('shows /patients/:patientId instead of the patient id, wherever it is in the path', () => {
    expect(urlForLog('/api/v1/patients/p-4711')).toBe('/api/v1/patients/:patientId');
    expect(urlForLog('/api/v1/patients/p-4711/national-id/reveal')).toBe(
      '/api/v1/patients/:patientId/national-id/reveal',
    );
    expect(urlForLog('/patients/%D9%81%D8%A7/timeline')).toBe('/patients/:patientId/timeline');
  });

  it('hides a patientId in the query and keeps the other parameters', () => {
    expect(urlForLog('/api/v1/alerts?status=open&patientId=p-4711&limit=5')).toBe(
      '/api/v1/alerts?status=open&patientId=redacted&limit=5',
    );
  });

  it('leaves a URL without a patient as it is', () => {
    expect(urlForLog('/api/v1/patients')).toBe('/api/v1/patients');
    expect(urlForLog('/health')).toBe('/health');
  });
});
