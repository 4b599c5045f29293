/**
 * Limits that identify no one (everything may arrive from Tor exits, so an address says nothing): each public route
 * runs at most so many requests at once with a bounded line behind them, and requests are counted per token, per set
 * and per meter, never per address. Over a limit the answer is 429 with Retry-After (docs/http-api.md §Limits).
 * @module
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { rateLimited } from '../errors.js';
import { LineFull, Slots } from './slots.js';

export interface Cap { max: number; queued: number }
export interface Rate { max: number; windowMs: number }
export interface Limits {
  /** Requests of a route handled at once, and waiting for a turn, per route. */
  concurrency: { pay: Cap; receipt: Cap; settle: Cap };
  /** Requests naming one token (set, period, T): its retries. */
  perToken: Rate;
  /** Requests naming one set, on /v1/pay and /v1/receipt. */
  perSet: Rate;
  /** Settlement attempts naming one meter. */
  perMeter: Rate;
  /** Keys remembered per kind of limit (least recently used go first). */
  keys: number;
}

export const defaultLimits: Limits = {
  concurrency: { pay: { max: 256, queued: 1024 }, receipt: { max: 64, queued: 256 }, settle: { max: 16, queued: 256 } },
  perToken: { max: 30, windowMs: 60_000 },
  perSet: { max: 5_000, windowMs: 1_000 },
  perMeter: { max: 10, windowMs: 60_000 },
  keys: 100_000,
};

/** A full line waits about as long as the requests ahead of it take: a second is the shortest Retry-After. */
const BUSY_RETRY_MS = 1_000;

/** @fastify/rate-limit's counters, not attached to any route by itself. */
export async function registerRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false });
}

/** onRequest hook holding one of the route's slots from arrival to the answer (or the client's going). */
export function concurrencyCap(cap: Cap) {
  const slots = new Slots(cap.max, cap.queued);
  return {
    onRequest: async (_req: FastifyRequest, reply: FastifyReply) => {
      let release: () => void;
      try {
        release = await slots.acquire();
      } catch (err) {
        if (err instanceof LineFull) throw rateLimited('the server is busy; retry', BUSY_RETRY_MS);
        throw err;
      }
      reply.raw.once('close', release);
    },
  };
}

/**
 * A preHandler (the body parsed and validated) counting requests per `key`, never per address. Built on
 * createRateLimit, not rateLimit(): the latter runs once per request, so a second limit on one route would be skipped.
 */
export function perKey(app: FastifyInstance, name: string, rate: Rate, keys: number, key: (body: any) => string): preHandlerAsyncHookHandler {
  // Each limiter has its own LRU of `keys` counters; its size is read from `cache`, which the type leaves out.
  const options = { max: rate.max, timeWindow: rate.windowMs, cache: keys, keyGenerator: (req: FastifyRequest) => `${name}:${key(req.body)}` };
  const limit = app.createRateLimit(options);
  return async (req) => {
    const r = await limit(req);
    // isAllowed is true only for an allow-list; a counted request is over the limit when isExceeded.
    if (!r.isAllowed && r.isExceeded) throw rateLimited(`too many requests for this ${name}; retry`, r.ttl);
  };
}
