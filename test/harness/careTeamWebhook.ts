import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WebhookBehaviour = { answer: number } | 'never answer';

/**
 * A care team's notification service on the LAN: a real HTTP server on a free
 * port that records each notice and answers with the status the test sets,
 * or never answers at all.
 */
export async function startCareTeamWebhook(behaviour: WebhookBehaviour = { answer: 204 }) {
  const notices: { headers: IncomingMessage['headers']; body: string }[] = [];
  const hanging = new Set<ServerResponse>();
  let current = behaviour;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      notices.push({ headers: request.headers, body });
      if (current === 'never answer') {
        hanging.add(response);
        return;
      }
      response.writeHead(current.answer, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/care-team/admissions`,
    notices,
    set(behaviour: WebhookBehaviour) {
      current = behaviour;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on a port nothing listens on: the server that had it is closed again. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/care-team/admissions`;
}
