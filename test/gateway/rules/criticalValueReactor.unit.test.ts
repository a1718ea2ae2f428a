import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../../../kernel/events/envelope.ts';
import type { JsonObject } from '../../../kernel/events/json.ts';
import { validateDraft } from '../../../kernel/events/validateEvent.ts';
import { alertEpisodesProjection, episodeKey } from '../../../gateway/projections/alertEpisodes.ts';
import { reactToVitals } from '../../../gateway/rules/criticalValueReactor.ts';
import { news2DefaultRules } from '../../../kernel/clinical/criticalValueRules.ts';
import { openingAlert } from '../../harness/alertEpisodeEvents.ts';
import { deciderSpec, projectionFold } from '../../harness/givenWhenThen.ts';
import { countingIds, type EventEnvelope, eventBuilder, vitals } from '../../harness/handBuiltEvents.ts';

const builder = eventBuilder({ start: '2025-03-01T08:00:00.000Z', envelope: { patientId: 'patient-1' } });

/** A reading of monitor-3 (reading 41) in bed A-3. */
const reading = (measured: JsonObject, envelope: EventEnvelope = {}): ClinicalEvent =>
  builder.vitalSignsRecorded(
    {
      method: 'device',
      deviceId: 'monitor-3',
      deviceSeq: 41,
      bed: 'A-3',
      measuredAt: '2025-03-01T07:59:58.000Z',
      ...measured,
    },
    { source: 'device-integration-service', ...envelope },
  );

/**
 * The vitals reactor over the open alert episodes (the alertEpisodes
 * projection of the given events); `asked` collects the episodes it looks up.
 */
const vitalsReactor = (asked: string[] = []) =>
  deciderSpec({
    ...projectionFold(alertEpisodesProjection),
    decide: (event: ClinicalEvent, open) =>
      reactToVitals(event, {
        rules: news2DefaultRules,
        newId: countingIds(500),
        openEpisode: (subjectId, parameter) => {
          asked.push(episodeKey(subjectId, parameter));
          return open.get(episodeKey(subjectId, parameter));
        },
      }),
  });
const noEpisodeOpen = vitalsReactor().given();

const spo2 = (value: number) => vitals({ oxygenSaturation: value });
const pulse = (value: number) => vitals({ heartRate: value });

describe('a reading with SpO2 88 % and no open episode', () => {
  const event = reading(spo2(88), { correlationId: 'admission-77' });
  const draft = noEpisodeOpen.when(event).thenOnlyOne();

  it('drafts critical_value_detected caused by the reading and correlated with it', () => {
    expect(draft.eventType).toBe('critical_value_detected');
    expect(draft.causationId).toBe(event.eventId);
    expect(draft.correlationId).toBe('admission-77');
    expect(draft.patientId).toBe('patient-1');
  });

  it('carries the value, threshold, severity, high priority and device', () => {
    expect(draft.data).toMatchObject({
      parameter: 'oxygenSaturation',
      value: 88,
      unit: '%',
      threshold: 91,
      direction: 'low',
      severity: 'critical',
      priority: 'high',
      ruleId: 'news2-spo2-scale1',
      deviceId: 'monitor-3',
      bed: 'A-3',
      measuredAt: '2025-03-01T07:59:58.000Z',
      detectedAt: event.recordedAt,
    });
    expect(draft.data).not.toHaveProperty('supersedesAlertId');
    expect(draft.timestamp).toBe(event.recordedAt);
  });

  it('gives the alert an id of its own, not the event id', () => {
    expect(typeof draft.data.alertId).toBe('string');
    expect(draft.data.alertId).not.toBe(draft.eventId);
  });

  it('passes the catalogue check', () => {
    const checked = validateDraft(draft);
    expect(checked.ok ? [] : checked.issues).toEqual([]);
  });
});

describe('a reading without a correlation id', () => {
  it('correlates the alert with the reading itself', () => {
    const event = reading(spo2(88));
    expect(noEpisodeOpen.when(event).thenOnlyOne().correlationId).toBe(event.eventId);
  });
});

describe('a warning-level reading', () => {
  it('drafts a medium-priority alert', () => {
    const draft = noEpisodeOpen.when(reading(pulse(120))).thenOnlyOne();
    expect(draft.data).toMatchObject({
      severity: 'warning',
      priority: 'medium',
      direction: 'high',
      threshold: 111,
    });
    expect(validateDraft(draft).ok).toBe(true);
  });
});

describe('a reading that worsens an open warning', () => {
  it('drafts a critical alert that names the alert it supersedes', () => {
    const draft = vitalsReactor()
      .given(
        openingAlert(builder, {
          subjectId: 'patient-1',
          parameter: 'oxygenSaturation',
          alertId: 'alert-warning-1',
          severity: 'warning',
          direction: 'low',
          measuredAt: '2025-03-01T07:00:00.000Z',
        }),
      )
      .when(reading(spo2(89)))
      .thenOnlyOne();
    expect(draft.data).toMatchObject({
      severity: 'critical',
      priority: 'high',
      supersedesAlertId: 'alert-warning-1',
    });
    expect(validateDraft(draft).ok).toBe(true);
  });
});

describe('a reading back in range past the hysteresis', () => {
  const open = vitalsReactor().given(
    openingAlert(builder, {
      subjectId: 'patient-1',
      parameter: 'oxygenSaturation',
      alertId: 'alert-critical-1',
      severity: 'critical',
      direction: 'low',
      measuredAt: '2025-03-01T07:00:00.000Z',
    }),
  );
  const event = reading(spo2(97));
  const draft = open.when(event).thenOnlyOne();

  it('drafts alert_resolved for the open alert with parameter and reason returned_to_range', () => {
    expect(draft.eventType).toBe('alert_resolved');
    expect(draft.data).toEqual({
      alertId: 'alert-critical-1',
      parameter: 'oxygenSaturation',
      deviceId: 'monitor-3',
      reason: 'returned_to_range',
      value: 97,
      resolvedAt: event.recordedAt,
    });
    expect(draft.causationId).toBe(event.eventId);
  });

  it('passes the catalogue check', () => {
    const checked = validateDraft(draft);
    expect(checked.ok ? [] : checked.issues).toEqual([]);
  });
});

describe('a reading from a device bound to no patient', () => {
  it('looks up and raises the episode of the device itself, with no patientId', () => {
    const asked: string[] = [];
    const event = reading(spo2(85), { patientId: undefined });
    const draft = vitalsReactor(asked).given().when(event).thenOnlyOne();
    expect(asked).toEqual(['device:monitor-3|oxygenSaturation']);
    expect(draft).not.toHaveProperty('patientId');
    const checked = validateDraft(draft);
    expect(checked.ok ? [] : checked.issues).toEqual([]);
  });
});

describe('a reading with several parameters out of range', () => {
  it('drafts one alert per parameter, each with a distinct event id and alert id', () => {
    const drafts = noEpisodeOpen.when(
      reading(vitals({ oxygenSaturation: 85, heartRate: 140, respiratoryRate: 16 })),
    ).outcome;
    expect(drafts.map((draft) => (draft.data as { parameter: string }).parameter)).toEqual([
      'oxygenSaturation',
      'heartRate',
    ]);
    const ids = drafts.flatMap((draft) => [draft.eventId, (draft.data as { alertId: string }).alertId]);
    expect(new Set(ids).size).toBe(4);
    for (const draft of drafts) expect(validateDraft(draft).ok).toBe(true);
  });
});

describe('events that are not readings', () => {
  it('draft nothing', () => {
    const admitted = builder.patientAdmitted({
      encounterId: 'enc-1',
      ward: 'Ward A',
      admittedAt: '2025-03-01T08:00:00.000Z',
    });
    noEpisodeOpen.when(admitted).then([]);
  });

  it('draft nothing for a normal reading', () => {
    noEpisodeOpen.when(reading(vitals({ oxygenSaturation: 97, heartRate: 72 }))).then([]);
  });
});

describe('a reading whose device clock the gateway flagged implausible', () => {
  const implausible = (event: ClinicalEvent): ClinicalEvent => ({
    ...event,
    metadata: {
      deviceClockImplausible: {
        reason: 'before_floor',
        measuredAt: '1970-01-01T00:00:00.000Z',
        receivedAt: event.recordedAt,
      },
    },
  });

  it('still raises a critical value, timed by the gateway receiving it', () => {
    const event = implausible(reading(pulse(30), {}));
    const draft = noEpisodeOpen
      .when({ ...event, data: { ...event.data, measuredAt: '1970-01-01T00:00:00.000Z' } })
      .thenOnlyOne();
    expect(draft.data).toMatchObject({ parameter: 'heartRate', value: 30, measuredAt: event.recordedAt });
  });

  it('never resolves the open alert, however normal its value', () => {
    vitalsReactor()
      .given(
        openingAlert(builder, {
          subjectId: 'patient-1',
          parameter: 'heartRate',
          alertId: 'alert-brady-1',
          severity: 'critical',
          direction: 'low',
          measuredAt: '2025-03-01T07:00:00.000Z',
        }),
      )
      .when(implausible(reading(pulse(80))))
      .then([]);
  });
});
