/**
 * NUT-19 (cached responses): a successful answer of the swap and mint routes is kept, keyed by the path and the
 * request's JSON, so that the same request again gets the same answer instead of "already spent" / "already issued":
 * a client whose answer was lost on the way asks again safely. Kept in memory for `ttlSeconds`, at most `maxBytes`
 * of answers (the oldest go first), so the cache cannot be grown without bound.
 * @module
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface CacheOptions { ttlSeconds: number; maxBytes: number }

export const CACHED_ENDPOINTS = ['/v1/swap', '/v1/mint/bolt11'] as const;

/** The /v1/info entry for NUT-19. */
export const nut19Info = (o: CacheOptions) => ({
  ttl: o.ttlSeconds,
  cached_endpoints: CACHED_ENDPOINTS.map((path) => ({ method: 'POST', path })),
});

interface Entry { payload: string; until: number }

export function installCachedResponses(app: FastifyInstance, o: CacheOptions, now: () => number = Date.now): void {
  const answers = new Map<string, Entry>();
  let bytes = 0;
  const forget = (key: string) => {
    bytes -= answers.get(key)?.payload.length ?? 0;
    answers.delete(key);
  };
  const keyOf = (path: string, body: unknown) => createHash('sha256').update(path).update('\n').update(JSON.stringify(body)).digest('hex');
  const cached = new Set<string>(CACHED_ENDPOINTS);

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !cached.has(req.routeOptions.url ?? '')) return;
    const key = keyOf(req.routeOptions.url!, req.body);
    const hit = answers.get(key);
    if (hit && hit.until > now()) return reply.code(200).type('application/json').send(hit.payload);
    if (hit) forget(key);
    (req as { nut19Key?: string }).nut19Key = key;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const key = (req as { nut19Key?: string }).nut19Key;
    if (key === undefined || reply.statusCode !== 200 || typeof payload !== 'string' || payload.length > o.maxBytes) return payload;
    forget(key);
    answers.set(key, { payload, until: now() + o.ttlSeconds * 1000 });
    bytes += payload.length;
    for (const oldest of answers.keys()) {
      if (bytes <= o.maxBytes) break;
      forget(oldest);
    }
    return payload;
  });
}
