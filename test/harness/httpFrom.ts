import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body's `code`, for a coded error; undefined otherwise. */
  code: string | undefined;
}

/**
 * One real HTTP request to a gateway on 127.0.0.1 sent from the loopback
 * address `from` (127.0.0.2, 127.0.0.3 ...: Linux answers the whole
 * 127.0.0.0/8 on `lo`), so a test can play several clients at different
 * addresses, as the gateway's `request.ip` sees them.
 */
export function httpFrom(
  from: string,
  port: number,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const call = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        localAddress: from,
        agent: false,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (reply) => {
        let body = '';
        reply.setEncoding('utf8');
        reply.on('data', (chunk: string) => {
          body += chunk;
        });
        reply.once('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          resolve({ status: reply.statusCode ?? 0, headers: reply.headers, body, code });
        });
      },
    );
    call.once('error', reject);
    call.end(payload);
  });
}

/** `POST /api/v1/session` from the address `from`. */
export const signInFrom = (from: string, port: number, username: string, password: string) =>
  httpFrom(from, port, 'POST', '/api/v1/session', { body: { username, password } });

/** How many answers had each status, e.g. `{ 401: 10, 429: 30 }`. */
export function statusCounts(answers: readonly { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
