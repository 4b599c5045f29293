/**
 * CORS for browser wallets (a web wallet on another origin calls the mint directly, as with any public Cashu
 * mint): answers under /v1/ allow any origin, and their preflight requests are answered here. The API takes no
 * cookies or credentials, so `*` exposes nothing a plain HTTP client could not read. The admin route gets no CORS.
 * @module
 */
import type { FastifyInstance } from 'fastify';

export function installCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    reply.header('access-control-allow-origin', '*');
    if (request.method !== 'OPTIONS') return;
    return reply
      .status(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '86400')
      .send();
  });
}
