import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** ui/public, served as-is: no CDN, nothing fetched from outside the clinic LAN. */
const uiRoot = fileURLToPath(new URL('../../../ui/public/', import.meta.url));

/** The nurse's screen at `/`, its files under `/ui/`. */
export async function wardBoardUi(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: uiRoot, prefix: '/ui/', index: false });
  app.get('/', { config: { permission: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.sendFile('index.html'),
  );
}
