/**
 * The pay loop under the timing policy (docs/timing-privacy.md): one payment at a time, each only when the pacer
 * lets it go, so a backlog never leaves as a burst. An `immediate` pacer (tests, benchmarks) pays one batch at once.
 * @module
 */
import { type PayerContext, type PayRound, payDue } from './payer.js';

export interface Pacer {
  readonly immediate: boolean;
  /** Whether the next payment may go out now. */
  mayPay(nowMs: number): boolean;
  /** A payment (or a retry) went out at `nowMs`. */
  sent(nowMs: number): void;
}

/** Pays at most `limit` tokens this round, as the pacer allows. */
export async function payPaced(ctx: PayerContext, pacer: Pacer, limit: number, now: () => number = Date.now): Promise<PayRound> {
  if (pacer.immediate) {
    const r = await payDue(ctx, new Date(now()).toISOString(), limit);
    if (r.attempted > 0) pacer.sent(now());
    return r;
  }
  let total: PayRound | null = null;
  for (let i = 0; i < limit && pacer.mayPay(now()); i++) {
    const r = await payDue({ ...ctx, concurrency: 1 }, new Date(now()).toISOString(), 1);
    if (r.attempted > 0) pacer.sent(now());
    total = total ? merge(total, r) : r;
    if (r.blockedBy !== null || r.attempted === 0) break;
  }
  return total ?? payDue(ctx, new Date(now()).toISOString(), 0);
}

/** Two rounds as one: counts added, periods joined, the later blocker, the longer Retry-After. */
function merge(a: PayRound, b: PayRound): PayRound {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number') out[k] = (a[k as keyof PayRound] as number) + v;
  return {
    ...(out as unknown as PayRound), paidPeriods: [...a.paidPeriods, ...b.paidPeriods], blockedBy: b.blockedBy ?? a.blockedBy,
    retryAfterMs: Math.max(a.retryAfterMs, b.retryAfterMs),
  };
}
