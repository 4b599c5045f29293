/**
 * When to pay each token and when to settle (threat-model.md §timing; docs/timing-privacy.md has the reasoning and
 * the simulation). Pure: times in, times out, randomness injected; the engine persists what it draws.
 *
 *   settleAt  ~ Uniform[periodEnd + settleAfter, periodEnd + grace − settleBeforeEnd)   drawn first, without K
 *   deadline  = settleAt − settleMargin                                                every payment before it
 *   due_i     = received_i + Exp(meanDelay) conditioned on due_i ≤ deadline                no pile-up at the deadline
 *   send_i    = max(due_i, send_{i−1} + minGap + Exp(meanGap − minGap)), the extra gap squeezed so the rest fits
 *   a token received after the deadline (the engine was off) draws settleAt again over what is left of the window
 *
 * Drawing the settlement time before any token, independently of K, is what keeps it from telling K: a rule like
 * "settle some time after the last payment" would not, because the last payment comes later when K is larger.
 * @module
 */
import { type Random, exponential, truncatedExponential, uniform } from './random.js';

export interface TimingPolicy {
  /** Mean of the random delay between receiving a token and paying it. */
  meanDelayMs: number;
  /** No two payments of this household closer than this. */
  minGapMs: number;
  /** Mean gap between payments that queue up (≥ minGapMs): the queue drains at a Poisson-like pace. */
  meanGapMs: number;
  /** The grace window after the period's end, in which its bill must be settled. */
  graceMs: number;
  /** Earliest settlement after the period's end: room for the last tokens' delays. */
  settleAfterMs: number;
  /** Latest settlement before the grace window closes: room for an engine that is off then, and for retries. */
  settleBeforeEndMs: number;
  /** Every payment of the period at least this long before its settlement. */
  settleMarginMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A policy scaled to a period and grace window: the defaults for a 30-day period with a 5-day grace window are a
 * 6 h mean delay, ≥ 20 s between payments (2 min mean when queued), settlement between 1 day after the period and
 * 36 h before the grace window ends (a computer that is off at its settlement time settles when it is back, up to a
 * day later), ≥ 1 h after the last payment. The demo's accelerated periods scale it down.
 */
export function policyForPeriod(periodMs: number, graceMs: number): TimingPolicy {
  const scale = periodMs / (30 * DAY);
  const g = graceMs / (5 * DAY);
  return assertPolicy({
    meanDelayMs: 6 * HOUR * scale,
    minGapMs: 20_000 * scale,
    meanGapMs: 120_000 * scale,
    graceMs,
    settleAfterMs: 1 * DAY * g,
    settleBeforeEndMs: 36 * HOUR * g,
    settleMarginMs: 1 * HOUR * g,
  });
}

/** Throws RangeError naming the first field that makes the policy unusable. */
export function assertPolicy(p: TimingPolicy): TimingPolicy {
  for (const [k, v] of Object.entries(p)) if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`"${k}" must be a finite number ≥ 0`);
  if (p.meanDelayMs <= 0) throw new RangeError('"meanDelayMs" must be > 0');
  if (p.meanGapMs < p.minGapMs) throw new RangeError('"meanGapMs" must be ≥ "minGapMs"');
  if (p.settleAfterMs + p.settleBeforeEndMs >= p.graceMs) throw new RangeError('"settleAfterMs" + "settleBeforeEndMs" must be < "graceMs"');
  if (p.settleMarginMs >= p.settleAfterMs) throw new RangeError('"settleMarginMs" must be < "settleAfterMs"');
  return p;
}

/**
 * The settlement time of a period: uniform in its window, drawn once per period, independent of every token.
 * An engine that was off and receives tokens after the payment deadline draws again with `notBeforeMs` = now +
 * settleAfterMs, so late tokens are spread too (uniform over what is left of the window; when even that is gone,
 * as soon as that lead allows: late, but still not a burst).
 */
export function settlementTime(periodEndMs: number, p: TimingPolicy, rng: Random, notBeforeMs = -Infinity): number {
  const lo = Math.max(periodEndMs + p.settleAfterMs, notBeforeMs);
  const hi = periodEndMs + p.graceMs - p.settleBeforeEndMs;
  return lo < hi ? uniform(lo, hi, rng) : lo;
}

/** Whether a token received at `receivedMs` came too late for the current plan: draw the settlement again. */
export const isLate = (receivedMs: number, deadlineMs: number): boolean => receivedMs > deadlineMs;

/** The last moment a payment of the period may go out. */
export const paymentDeadline = (settleAtMs: number, p: TimingPolicy): number => settleAtMs - p.settleMarginMs;

/**
 * When a token received at `receivedMs` falls due: after a random exponential delay, truncated so that it is due
 * by the deadline (a token received after it would be due at once: see `isLate`).
 */
export function dueTime(receivedMs: number, deadlineMs: number, p: TimingPolicy, rng: Random): number {
  return receivedMs + truncatedExponential(p.meanDelayMs, deadlineMs - receivedMs, rng);
}

/**
 * When the next payment may go out: at `readyMs` (its due time, or later when the engine could not send then), but
 * not before `lastSentMs` + minGap + a random exponential extra gap, so queued payments leave at a Poisson-like pace
 * instead of a burst. The extra gap is clipped so that the `pendingCount` − 1 payments still waiting after this one
 * fit before the deadline at minGap apart; neither the minimum gap nor `readyMs` is ever cut. `lastSentMs` is null
 * for the period's first payment.
 */
export function nextSendTime(
  readyMs: number, lastSentMs: number | null, pendingCount: number, deadlineMs: number, p: TimingPolicy, rng: Random,
): number {
  if (lastSentMs === null) return readyMs;
  const extra = p.meanGapMs > p.minGapMs ? exponential(p.meanGapMs - p.minGapMs, rng) : 0;
  const paced = Math.max(readyMs, lastSentMs + p.minGapMs + extra);
  const latest = deadlineMs - (Math.max(1, pendingCount) - 1) * p.minGapMs;
  return Math.max(readyMs, lastSentMs + p.minGapMs, Math.min(paced, latest));
}

export interface PeriodPlan {
  settleAtMs: number;
  /** Send times, in the order of `receivedMs` sorted by due time; as many as tokens. */
  sendMs: number[];
  /** Due time of each token, in the input's order. */
  dueMs: number[];
}

/**
 * The whole period at once, for an engine that is always online (the simulation and the tests): settlement drawn
 * first, then a due time per token, then the paced queue. The live engine makes the same calls one at a time.
 */
export function planPeriod(receivedMs: readonly number[], periodEndMs: number, p: TimingPolicy, rng: Random): PeriodPlan {
  const settleAtMs = settlementTime(periodEndMs, p, rng);
  const deadline = paymentDeadline(settleAtMs, p);
  const dueMs = receivedMs.map((r) => dueTime(r, deadline, p, rng));
  const sendMs: number[] = [];
  let last: number | null = null;
  [...dueMs].sort((a, b) => a - b).forEach((due, i) => {
    last = nextSendTime(due, last, dueMs.length - i, deadline, p, rng);
    sendMs.push(last);
  });
  return { settleAtMs, sendMs, dueMs };
}
