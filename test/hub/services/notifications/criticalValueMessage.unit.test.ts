import { describe, expect, it } from 'vitest';
import { notificationFacts } from '../../../../hub/services/notifications/notificationPlan.ts';
import { renderNotification } from '../../../../hub/services/notifications/notificationTemplates.ts';
import { exampleDraft } from '../../../harness/exampleDrafts.ts';

/** A critical_value_detected with the example's envelope and this data. */
const alert = (data: Record<string, unknown>) =>
  exampleDraft('critical_value_detected', {
    alertId: 'alert-9',
    severity: 'critical',
    priority: 'high',
    detectedAt: '2026-11-26T08:42:10.000Z',
    ...data,
  } as never);

describe('the notification of a critical value', () => {
  it('names the limit when a rule raised it', () => {
    const facts = notificationFacts(
      alert({
        parameter: 'potassium',
        value: 2.1,
        unit: 'mmol/L',
        threshold: 2.8,
        direction: 'low',
        ruleId: 'kost1990-potassium',
      }),
    )!;
    expect(renderNotification(facts, 'en').body).toContain(
      'Critical low value: potassium 2.1 mmol/L (threshold 2.8).',
    );
    expect(renderNotification(facts, 'ar').body).toContain(
      'قيمة حرجة منخفضة: potassium 2.1 mmol/L (الحد 2.8).',
    );
  });

  it('says the analyzer flagged it, with no limit, when the flag alone raised it', () => {
    const facts = notificationFacts(
      alert({
        parameter: 'WBC',
        value: 105600,
        unit: '{cells}/uL',
        direction: 'high',
        flag: 'HH',
        testCode: 'WBC',
        ruleId: 'analyzer-flag',
      }),
    )!;
    expect(facts).toMatchObject({ purpose: 'critical_value', value: '105600', flag: 'HH' });
    expect(facts).not.toHaveProperty('threshold');
    const english = renderNotification(facts, 'en');
    expect(english.subject).toContain('Critical value: WBC 105600 {cells}/uL');
    expect(english.body).toContain('Flagged HH (critically high) by the analyzer: WBC 105600 {cells}/uL.');
    expect(english.body).not.toMatch(/undefined|threshold/);
    expect(renderNotification(facts, 'ar').body).toContain('HH (مرتفع بشكل حرج)');
  });

  it('gives a text result as written', () => {
    const facts = notificationFacts(
      alert({ parameter: 'MALARIA', valueText: 'POSITIVE', flag: 'AA', ruleId: 'analyzer-flag' }),
    )!;
    expect(renderNotification(facts, 'en').body).toContain(
      'Flagged AA (critically abnormal) by the analyzer: MALARIA POSITIVE.',
    );
  });
});
