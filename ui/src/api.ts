/**
 * The one way the screen talks to the gateway: same origin, JSON, the
 * session cookie sent by the browser. Errors arrive as the gateway's coded
 * bodies (`{ code, message, statusCode }`, docs/errors.md) and leave here as
 * ApiError, so screens decide by code, never by message text.
 */
import { backgroundRequestHeader } from '../../gateway/http/contract/browserRequests.ts';
import type { SessionUser } from './model.ts';

/** The signed-in user as GET /api/v1/session returns it (the API contract). */
export type SignedInUser = SessionUser;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The route is not on this gateway (an older gateway, or a part not yet installed). */
  get unavailable(): boolean {
    return this.code === 'GW_ERR_ROUTE_UNKNOWN';
  }
}

type SignedOutReason = 'required' | 'expired';
const signedOutListeners: ((reason: SignedOutReason) => void)[] = [];

/** Called when the gateway says the session is missing or has run out (401). */
export function onSignedOut(listener: (reason: SignedOutReason) => void): void {
  signedOutListeners.push(listener);
}

/**
 * Who acts, for a gateway without sign-in (before sessions were installed it
 * took the X-NileCare-User-* headers): set only in that case.
 */
let headerActor: SignedInUser | undefined;
export function actAsWithoutSession(user: SignedInUser | undefined): void {
  headerActor = user;
}

/** Gateway clock minus this browser's, in milliseconds, from each response's Date header. */
let clockOffsetMs = 0;
export function gatewayNow(): number {
  return Date.now() + clockOffsetMs;
}

/** When this screen last sent a request on its user's behalf (browser clock, milliseconds). */
let lastActionAt = Date.now();
/** Fewest milliseconds between two requests that tell the gateway the user is still there. */
const ACTIVITY_REPORT_EVERY_MS = 5000;

/**
 * `background`: the screen asks by itself (a poll, a refresh after a live
 * event, a session check), not its user; the gateway then does not count it
 * as activity, so an untouched screen is signed out (docs/security-access.md#sessions).
 */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  { background = false }: { background?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (background) headers[backgroundRequestHeader] = '1';
  else lastActionAt = Date.now();
  if (headerActor) {
    headers['x-nilecare-user-id'] = encodeURIComponent(headerActor.userId);
    headers['x-nilecare-user-name'] = encodeURIComponent(headerActor.displayName);
    headers['x-nilecare-user-role'] = encodeURIComponent(headerActor.role);
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new ApiError(0, 'UI_GATEWAY_UNREACHABLE', error instanceof Error ? error.message : String(error));
  }
  const date = response.headers.get('date');
  if (date) {
    const serverTime = Date.parse(date);
    // The Date header has one-second resolution: only correct offsets larger than that.
    if (!Number.isNaN(serverTime) && Math.abs(serverTime - Date.now() - clockOffsetMs) > 1500)
      clockOffsetMs = serverTime - Date.now();
  }
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const coded = (parsed ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    const error = new ApiError(
      response.status,
      coded.code ?? `HTTP_${response.status}`,
      coded.message ?? response.statusText,
      coded.details,
    );
    if (response.status === 401 && !path.startsWith('/api/v1/session')) {
      for (const listener of signedOutListeners)
        listener(error.code === 'GW_ERR_SESSION_EXPIRED' ? 'expired' : 'required');
    }
    throw error;
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Asks whether this browser's session is still active; when the gateway says
 * it is not, the sign-in form comes back (with the inactivity notice when the
 * session ran out). For the live stream, whose failures carry no status.
 */
export async function checkSession(): Promise<void> {
  try {
    await request('GET', '/api/v1/session', undefined, { background: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && !headerActor)
      for (const listener of signedOutListeners)
        listener(error.code === 'GW_ERR_SESSION_EXPIRED' ? 'expired' : 'required');
  }
}

/**
 * The user touched or typed on the screen: tell the gateway they are there,
 * at most every few seconds, when nothing they did has reached it lately
 * (reading the board, switching screens or muting sends no request of its own).
 */
export function reportUserActivity(): void {
  if (Date.now() - lastActionAt < ACTIVITY_REPORT_EVERY_MS || headerActor) return;
  void request('GET', '/api/v1/session').catch(() => undefined);
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  /** A read the screen makes by itself (polls, refreshes): not its user's activity. */
  getInBackground: <T>(path: string) => request<T>('GET', path, undefined, { background: true }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  // Every change carries a JSON body, {} when there is nothing to say (docs/security-access.md#requests-from-other-sites).
  delete: <T>(path: string) => request<T>('DELETE', path, {}),
};

export const patientPath = (patientId: string, rest = '') =>
  `/api/v1/patients/${encodeURIComponent(patientId)}${rest}`;
