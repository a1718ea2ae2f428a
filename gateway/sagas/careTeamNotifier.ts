/** What the care team is told of an admission: ids and the bed, never a name (no PHI leaves on the LAN). */
export interface AdmissionNotice {
  kind: 'admission';
  sagaId: string;
  patientId: string;
  encounterId: string;
  facilityId: string;
  ward: string;
  bed: string;
  at: string;
}

export interface CareTeamNotifier {
  /** The channels a notice goes out on, as care_team_notified records them. */
  readonly channels: readonly ('in_app' | 'push')[];
  /**
   * Resolves once every configured channel took the notice; rejects with a
   * CareTeamNotificationFailed saying why otherwise. `signal` aborts it when
   * the gateway stops (the saga then resumes at the next start).
   */
  notify(notice: AdmissionNotice, signal: AbortSignal): Promise<void>;
}

/** A channel refused or did not answer: the notification step failed. */
export class CareTeamNotificationFailed extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CareTeamNotificationFailed';
  }
}

export interface CareTeamNotifierOptions {
  /** The care team's webhook on the clinic LAN; empty: the ward board only. */
  webhookUrl: string;
  /** How long the webhook may take, in milliseconds. */
  timeoutMs: number;
}

/**
 * The care team hears of an admission on the ward board always: the
 * care_team_notified event the runner appends goes out on the live stream.
 * With a webhook configured (NILECARE_CARE_TEAM_WEBHOOK_URL), it must also
 * accept the notice with a 2xx within the timeout; anything else fails the
 * step, and the admission is rolled back.
 */
export function createCareTeamNotifier(options: CareTeamNotifierOptions): CareTeamNotifier {
  const { webhookUrl, timeoutMs } = options;
  if (!webhookUrl) return { channels: ['in_app'], notify: async () => undefined };
  return {
    channels: ['in_app', 'push'],
    async notify(notice, signal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': notice.sagaId },
          body: JSON.stringify(notice),
          signal: AbortSignal.any([signal, timeout]),
        });
        // Read the body so the connection is released; its content does not matter.
        await response.arrayBuffer();
      } catch (error) {
        if (signal.aborted) throw error;
        if (timeout.aborted)
          throw new CareTeamNotificationFailed(`care team webhook did not answer within ${timeoutMs} ms`);
        throw new CareTeamNotificationFailed(`care team webhook unreachable: ${causeOf(error)}`);
      }
      if (response.status < 200 || response.status > 299)
        throw new CareTeamNotificationFailed(`care team webhook answered HTTP ${response.status}`);
    },
  };
}

/** The network error's code (ECONNREFUSED, ENOTFOUND ...), which says what to fix. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 200);
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
}
