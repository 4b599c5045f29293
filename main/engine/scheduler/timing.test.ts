import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponential, secureRandom, seededRandom, truncatedExponential } from './random.js';
import {
  assertPolicy, dueTime, isLate, nextSendTime, paymentDeadline, planPeriod, policyForPeriod, settlementTime,
} from './timing.js';
import { topUpTime } from './top-up.js';

const DAY = 86_400_000;
const PERIOD = 30 * DAY;
const policy = policyForPeriod(PERIOD, 5 * DAY);
const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 100) };

/** A period's token receipts: K times inside [0, PERIOD), as the meter emits them. */
const receipts = fc.array(fc.integer({ min: 0, max: PERIOD - 1 }), { maxLength: 3_000 });

describe('planPeriod invariants (fast-check)', () => {
  it('pays every token once, after it was received, ≥ minGap apart, all before the deadline; settles in the window', () => {
    fc.assert(fc.property(receipts, fc.integer(), (received, seed) => {
      const plan = planPeriod(received, PERIOD, policy, seededRandom(seed));
      const deadline = paymentDeadline(plan.settleAtMs, policy);
      expect(plan.sendMs).toHaveLength(received.length);
      expect(plan.settleAtMs).toBeGreaterThanOrEqual(PERIOD + policy.settleAfterMs);
      expect(plan.settleAtMs).toBeLessThan(PERIOD + policy.graceMs - policy.settleBeforeEndMs);
      plan.dueMs.forEach((due, i) => {
        expect(due).toBeGreaterThanOrEqual(received[i]!);
        expect(due).toBeLessThanOrEqual(deadline);
      });
      const dueSorted = [...plan.dueMs].sort((a, b) => a - b);
      plan.sendMs.forEach((send, i) => {
        expect(send).toBeGreaterThanOrEqual(dueSorted[i]!); // the i-th payment never leaves before the i-th due time
        expect(send).toBeLessThanOrEqual(deadline);
        if (i > 0) expect(send - plan.sendMs[i - 1]!).toBeGreaterThanOrEqual(policy.minGapMs);
      });
      const last = plan.sendMs.at(-1);
      if (last !== undefined) expect(plan.settleAtMs - last).toBeGreaterThanOrEqual(policy.settleMarginMs);
    }), runs);
  });

  it('draws the settlement time without looking at the tokens: the same seed gives the same time for any K', () => {
    fc.assert(fc.property(receipts, receipts, fc.integer(), (a, b, seed) => {
      expect(planPeriod(a, PERIOD, policy, seededRandom(seed)).settleAtMs)
        .toBe(planPeriod(b, PERIOD, policy, seededRandom(seed)).settleAtMs);
    }), runs);
  });

  it('replays exactly from a seed', () => {
    const received = [1, 5_000, 5_000, 9 * DAY];
    expect(planPeriod(received, PERIOD, policy, seededRandom(7))).toEqual(planPeriod(received, PERIOD, policy, seededRandom(7)));
  });
});

describe('nextSendTime', () => {
  it('never sends before ready nor closer than minGap, and squeezes only the random extra gap near the deadline', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: DAY }), fc.integer({ min: 0, max: DAY }), fc.integer({ min: 1, max: 500 }), fc.integer(),
      (ready, last, pending, seed) => {
        const deadline = 2 * DAY;
        const t = nextSendTime(ready, last, pending, deadline, policy, seededRandom(seed));
        expect(t).toBeGreaterThanOrEqual(ready);
        expect(t - last).toBeGreaterThanOrEqual(policy.minGapMs);
        const room = deadline - (pending - 1) * policy.minGapMs;
        if (ready <= room && last + policy.minGapMs <= room) expect(t).toBeLessThanOrEqual(room);
      }), runs);
  });

  it('spreads a queue of due payments with gaps averaging meanGap', () => {
    const rng = seededRandom(3);
    let last = 0;
    const gaps: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      const t = nextSendTime(0, last, 10, Number.MAX_SAFE_INTEGER, policy, rng);
      gaps.push(t - last);
      last = t;
    }
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(policy.minGapMs);
    expect(mean / policy.meanGapMs).toBeCloseTo(1, 1);
  });
});

describe('delays and draws', () => {
  it('draws delays with the configured mean when the deadline is far', () => {
    const rng = seededRandom(11);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += dueTime(0, 100 * policy.meanDelayMs, policy, rng);
    expect(sum / n / policy.meanDelayMs).toBeCloseTo(1, 1);
  });

  it('truncates without a pile-up at the cap', () => {
    const rng = seededRandom(5);
    const draws = Array.from({ length: 20_000 }, () => truncatedExponential(10, 5, rng));
    expect(Math.max(...draws)).toBeLessThanOrEqual(5);
    const nearCap = draws.filter((d) => d > 4.9).length / draws.length;
    expect(nearCap).toBeLessThan(0.02); // the density there is e^-0.49/10/(1-e^-0.5) ≈ 0.0155 per 0.1
    expect(truncatedExponential(10, 0, rng)).toBe(0);
    expect(exponential(2, () => 0)).toBe(0);
  });

  it('keeps settlement times uniform over the window', () => {
    const rng = seededRandom(9);
    const lo = PERIOD + policy.settleAfterMs;
    const hi = PERIOD + policy.graceMs - policy.settleBeforeEndMs;
    const bins = [0, 0, 0, 0];
    for (let i = 0; i < 8_000; i++) bins[Math.floor(((settlementTime(PERIOD, policy, rng) - lo) / (hi - lo)) * 4)]!++;
    for (const b of bins) expect(b / 2_000).toBeCloseTo(1, 1);
  });

  it('draws again after a late token: uniform over what is left, never before the lead, and late rather than at once', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 * DAY }), fc.integer(), (late, seed) => {
      const now = PERIOD + late;
      const t = settlementTime(PERIOD, policy, seededRandom(seed), now + policy.settleAfterMs);
      expect(t).toBeGreaterThanOrEqual(now + policy.settleAfterMs);
      if (now + policy.settleAfterMs < PERIOD + policy.graceMs - policy.settleBeforeEndMs)
        expect(t).toBeLessThan(PERIOD + policy.graceMs - policy.settleBeforeEndMs);
    }), runs);
    expect(isLate(2, 1)).toBe(true);
    expect(isLate(1, 1)).toBe(false);
  });

  it('draws in [0, 1) from node:crypto for the engine', () => {
    const xs = Array.from({ length: 2_000 }, secureRandom);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(new Set(xs).size).toBe(xs.length);
  });
  it('seeded generators are uniform in [0, 1) and differ by seed', () => {
    const a = seededRandom(1);
    const xs = Array.from({ length: 10_000 }, a);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(seededRandom(2)()).not.toBe(seededRandom(1)());
  });
});

describe('policies', () => {
  it('scales the defaults with the period and refuses unusable ones', () => {
    const demo = policyForPeriod(PERIOD / 1_000, 5 * DAY / 1_000);
    expect(demo.meanDelayMs * 1_000).toBeCloseTo(policy.meanDelayMs);
    expect(() => assertPolicy({ ...policy, meanGapMs: 1 })).toThrow('meanGapMs');
    expect(() => assertPolicy({ ...policy, settleAfterMs: policy.graceMs })).toThrow('settleAfterMs');
    expect(() => assertPolicy({ ...policy, minGapMs: Number.NaN })).toThrow('minGapMs');
  });
});

describe('topUpTime', () => {
  const p = { lowWaterUnits: 50, topUpUnits: 500, meanDelayMs: 60_000 };
  it('buys only below the low-water mark, after a random delay', () => {
    expect(topUpTime(50, 0, p, seededRandom(1))).toBeNull();
    const t = topUpTime(49, 1_000, p, seededRandom(1));
    expect(t).toBeGreaterThanOrEqual(1_000);
    expect(() => topUpTime(0, 0, { ...p, topUpUnits: 0 }, seededRandom(1))).toThrow(RangeError);
  });
});
