import type { AlertEpisodeDoc } from '../../gateway/projections/alertEpisodes.ts';
import type { ClinicalEvent } from '../../kernel/events/envelope.ts';
import type { EventBuilder } from './handBuiltEvents.ts';

const devicePrefix = 'device:';

/**
 * The critical_value_detected that opens `episode`, as the alertEpisodes
 * projection keeps it: given to a rule or reactor whose state is the open
 * episodes, it stands for "this alert is open". A `device:<id>` subject is
 * a device bound to no patient (gateway/projections/vitalsSubject.ts).
 */
export function openingAlert(build: EventBuilder, episode: AlertEpisodeDoc): ClinicalEvent {
  const { subjectId, alertId, parameter, severity, direction, measuredAt } = episode;
  const unbound = subjectId.startsWith(devicePrefix);
  return build.criticalValueDetected(
    {
      alertId,
      parameter,
      severity,
      priority: severity === 'critical' ? 'high' : 'medium',
      ...(direction ? { direction } : { flag: 'AA' }),
      measuredAt,
      ...(unbound ? { deviceId: subjectId.slice(devicePrefix.length) } : {}),
    },
    { patientId: unbound ? undefined : subjectId },
  );
}
