import { type AlarmPriority, burstPlan, muteForMs, toneFor } from './tonePattern.ts';

/**
 * The audible alarm, synthesised in the browser with WebAudio (no sound
 * files to fetch): bursts of pulses as tonePattern.ts plans them, repeated
 * while an alert stands unacknowledged. It only adds to the visual alert,
 * never replaces it. The current state is mirrored on <html data-alarm-*>
 * so that people with devtools (and the browser tests) can see what sounds.
 */
export interface AlarmTone {
  /** The priorities of the alerts now active (unacknowledged). */
  update(activePriorities: readonly AlarmPriority[]): void;
  /** Silences the tone for two minutes; the alerts stay on screen. */
  mute(): void;
  unmute(): void;
  mutedUntil(): number | undefined;
  /** Browsers start audio only after a user gesture: call on the first click or key. */
  unlock(): void;
  /** Returns the function that stops listening. */
  onChange(listener: () => void): () => void;
}

/** A pulse: the fundamental plus four harmonics (IEC 60601-1-8 asks for at least four), rising over 15 % of it. */
function playPulse(context: AudioContext, wave: PeriodicWave, at: number, seconds: number): void {
  const oscillator = context.createOscillator();
  oscillator.setPeriodicWave(wave);
  const gain = context.createGain();
  const rise = seconds * 0.15;
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(0.25, at + rise);
  gain.gain.setValueAtTime(0.25, at + seconds - rise);
  gain.gain.linearRampToValueAtTime(0, at + seconds);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(at);
  oscillator.stop(at + seconds + 0.01);
}

export function createAlarmTone(root: HTMLElement, now: () => number = () => Date.now()): AlarmTone {
  let context: AudioContext | undefined;
  let current: AlarmPriority | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let mutedUntil: number | undefined;
  let bursts = 0;
  const listeners: (() => void)[] = [];
  const changed = () => {
    root.dataset.alarm = current ?? 'none';
    root.dataset.alarmMuted = String(isMuted());
    for (const listener of listeners) listener();
  };
  const isMuted = () => mutedUntil !== undefined && now() < mutedUntil;

  const audio = (): AudioContext | undefined => {
    if (context) return context;
    const Constructor = window.AudioContext;
    if (!Constructor) return undefined;
    try {
      context = new Constructor();
    } catch {
      return undefined;
    }
    return context;
  };

  const burst = () => {
    timer = undefined;
    if (!current) return;
    const plan = burstPlan(current);
    if (!isMuted()) {
      const ctx = audio();
      if (ctx && ctx.state !== 'closed') {
        void ctx.resume().catch(() => undefined);
        const harmonics = 6;
        const real = new Float32Array(harmonics);
        const imag = new Float32Array(harmonics);
        for (let n = 1; n < harmonics; n++) imag[n] = 1 / n;
        const wave = ctx.createPeriodicWave(real, imag);
        const start = ctx.currentTime + 0.02;
        for (const pulse of plan.pulses) {
          playPulse(ctx, wave, start + pulse.startMs / 1000, pulse.durationMs / 1000);
        }
        bursts += 1;
        root.dataset.alarmBursts = String(bursts);
        root.dataset.alarmLastBurstPulses = String(plan.pulses.length);
      }
    }
    timer = setTimeout(
      burst,
      isMuted() ? Math.min(plan.repeatEveryMs, (mutedUntil ?? 0) - now()) : plan.repeatEveryMs,
    );
  };

  return {
    update(activePriorities) {
      const next = toneFor(activePriorities);
      if (next === current) return;
      current = next;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (current) burst();
      changed();
    },
    mute() {
      mutedUntil = now() + muteForMs;
      setTimeout(() => {
        if (!isMuted()) {
          mutedUntil = undefined;
          changed();
        }
      }, muteForMs + 50);
      changed();
    },
    unmute() {
      mutedUntil = undefined;
      changed();
    },
    mutedUntil: () => (isMuted() ? mutedUntil : undefined),
    unlock() {
      void audio()
        ?.resume()
        .catch(() => undefined);
    },
    onChange(listener) {
      listeners.push(listener);
      return () => {
        const index = listeners.indexOf(listener);
        if (index >= 0) listeners.splice(index, 1);
      };
    },
  };
}
