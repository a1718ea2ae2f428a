import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** ui/dist, built from ui/src by `npm run build:ui` (npm start and the test run build it first). */
const uiDist = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

/**
 * Only the gateway itself may be a source of anything: no CDN, no web fonts,
 * no analytics (docs/ui.md: nothing beyond the gateway). Inline style
 * attributes are refused too; the script sets styles through the CSSOM.
 */
export const uiContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the screen routes itself (history API); a reload on any of them gets the page. */
export const uiPagePaths = [
  '/',
  '/login',
  '/board',
  '/alerts',
  '/patients',
  '/patients/*',
  '/sync',
  '/lab-orders',
  '/handover',
] as const;

/** Hashed file names (app-3F2A1B.js) change with their content, so browsers may keep them for a year. */
const hashedName = /-[A-Z0-9]{8}\.(js|css|woff2?|map)$/;

/**
 * The nurse's screen: index.html at each of the screen's paths (never cached,
 * so a new build is picked up at the next load), its hashed assets under
 * /ui/ (cached for good), every response with a CSP that forbids other origins.
 */
export async function wardBoardUi(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', uiContentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  await app.register(fastifyStatic, {
    root: uiDist,
    prefix: '/ui/',
    index: false,
    cacheControl: false,
    // The folder may not exist yet at start (built later); serve what is there when asked.
    allowedPath: () => true,
    setHeaders: (response, path) => {
      response.setHeader(
        'cache-control',
        hashedName.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const page = (reply: FastifyReply) => {
    const index = join(uiDist, 'index.html');
    reply.header('cache-control', 'no-cache');
    if (!existsSync(index))
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The nurse screen is not built yet: run `npm run build:ui` (npm start does it for you).\n');
    return reply.type('text/html; charset=utf-8').send(readFileSync(index));
  };
  // Public like /ui/ (auth/permissions.ts): the page itself holds no patient data; its API calls need a session.
  for (const path of uiPagePaths)
    app.get(path, { config: { permission: 'public' }, schema: { hide: true } }, (_request, reply) =>
      page(reply),
    );
}
