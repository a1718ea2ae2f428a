/**
 * Realistic-looking vitals for the demo (pure; the random source is an
 * input): each parameter drifts around a patient's baseline, and now and
 * then an episode (desaturation, tachycardia) pulls it out of range for a
 * while and lets it recover.
 */
export interface SimulatedVitals {
  spo2: number;
  heartRate: number;
  respiratoryRate: number;
  systolic: number;
  diastolic: number;
  temperature: number;
}

export type EpisodeKind = 'desaturation' | 'tachycardia';

export interface WalkState {
  vitals: SimulatedVitals;
  baseline: SimulatedVitals;
  episode?: { kind: EpisodeKind; ticksLeft: number };
}

export const typicalAdult: SimulatedVitals = {
  spo2: 97,
  heartRate: 78,
  respiratoryRate: 16,
  systolic: 122,
  diastolic: 78,
  temperature: 36.8,
};

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** One step: drift toward the target (baseline, or the episode's), plus noise. */
export function stepVitals(state: WalkState, random: () => number, episodeChance: number): WalkState {
  let episode = state.episode;
  if (episode) episode = episode.ticksLeft > 1 ? { ...episode, ticksLeft: episode.ticksLeft - 1 } : undefined;
  else if (random() < episodeChance)
    episode = {
      kind: random() < 0.5 ? 'desaturation' : 'tachycardia',
      ticksLeft: 15 + Math.floor(random() * 20),
    };
  const target = { ...state.baseline };
  if (episode?.kind === 'desaturation')
    Object.assign(target, { spo2: 85, heartRate: state.baseline.heartRate + 15, respiratoryRate: 26 });
  if (episode?.kind === 'tachycardia') Object.assign(target, { heartRate: 138, respiratoryRate: 22 });
  const noise = (scale: number) => (random() - 0.5) * 2 * scale;
  const toward = (now: number, goal: number, rate: number, scale: number) =>
    now + (goal - now) * rate + noise(scale);
  const v = state.vitals;
  const vitals: SimulatedVitals = {
    spo2: round(clamp(toward(v.spo2, target.spo2, 0.3, 0.6), 70, 100)),
    heartRate: round(clamp(toward(v.heartRate, target.heartRate, 0.3, 2), 30, 200)),
    respiratoryRate: round(clamp(toward(v.respiratoryRate, target.respiratoryRate, 0.3, 0.8), 6, 40)),
    systolic: round(clamp(toward(v.systolic, target.systolic, 0.2, 3), 70, 200)),
    diastolic: round(clamp(toward(v.diastolic, target.diastolic, 0.2, 2), 40, 120)),
    temperature: round(clamp(toward(v.temperature, target.temperature, 0.2, 0.05), 35, 41), 1),
  };
  return episode ? { vitals, baseline: state.baseline, episode } : { vitals, baseline: state.baseline };
}
