/**
 * The timing policy applied to this wallet (docs/timing-privacy.md §How the engine uses it): the scheduler's pure
 * rules (main/engine/scheduler) on the billing calendar, with what they draw kept in the wallet.
 *
 *   per period:  settleAt drawn once, before looking at any token, from the period's estimated end (meta `schedule`)
 *   per token:   due = dueTime(received, deadline); a token after the deadline draws settleAt again (isLate)
 *   pay loop:    one payment at a time, the next one not before nextSendTime(...) (last send in meta `last-sent`)
 *   settlement:  not before max(settleAt, last send + settleMargin)
 *   top-ups:     a fixed amount when the stock is low, after a random delay (topUpTime), never at a payment
 *
 * When the period's end estimate moves (calendar.ts), a settlement time outside its new window is drawn again over
 * that window; due times already drawn stay, and the settlement waits for them.
 *
 * `immediate` (tests and benchmarks only: it gives K away by timing): each token due after `immediateDelayMs`,
 * payments in batches, settlement as soon as the bill and every receipt are in, top-ups as soon as the stock is low.
 * @module
 */
import {
  type Random, type TimingPolicy, dueTime, isLate, nextSendTime, paymentDeadline, policyForPeriod, secureRandom, settlementTime, topUpTime,
} from '../scheduler/index.js';
import { type Db, countTokens, dueTokens, getMeta, setMeta } from '../wallet/index.js';
import { PeriodCalendar } from './calendar.js';

export interface Billing {
  /** The meter's billing period. */
  periodMs: number;
  /** The window after a period's end in which it must be settled. */
  graceMs: number;
}

const DAY = 86_400_000;
export const DEFAULT_BILLING: Billing = { periodMs: 30 * DAY, graceMs: 5 * DAY };

export interface PaymentTimingOptions {
  billing?: Billing;
  /** Tests and benchmarks: pay each token this long after it arrived, in batches, and settle at once. */
  immediateDelayMs?: () => number;
  /** Automatic top-ups: buy `units` when fewer than `lowWater` 1-unit proofs are left. */
  topUp?: { units: number; lowWater: number };
  random?: Random;
}

interface Plan {
  /** The period's end as estimated when the settlement time was drawn. */
  endMs: number;
  settleAtMs: number;
}

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

export class PaymentTiming {
  readonly policy: TimingPolicy;
  readonly immediate: boolean;
  private readonly calendar: PeriodCalendar;
  private readonly rng: Random;
  private readonly plans: Record<number, Plan>;
  private lastSentMs: number | null;
  /** The next send time, drawn once for the token that is first in line. */
  private next: { tokenId: number; atMs: number } | null = null;
  private topUpAtMs: number | null = null;

  constructor(private readonly db: Db, private readonly o: PaymentTimingOptions = {}) {
    const billing = o.billing ?? DEFAULT_BILLING;
    this.policy = policyForPeriod(billing.periodMs, billing.graceMs);
    this.immediate = o.immediateDelayMs !== undefined;
    this.rng = o.random ?? secureRandom;
    this.calendar = new PeriodCalendar(db, billing.periodMs, Math.min(30_000, billing.periodMs / 10), (p) => total(countTokens(db, p)));
    this.plans = JSON.parse(getMeta(db, 'schedule') ?? '{}') as Record<number, Plan>;
    const last = getMeta(db, 'last-sent');
    this.lastSentMs = last === null ? null : Number(last);
  }

  /** A telegram arrived. */
  telegram(nowMs: number): void {
    this.calendar.telegram(nowMs);
  }

  /** When a fresh token of `period`, received now, falls due (ISO time), drawn once: the caller stores it. */
  tokenDue(period: number, nowMs: number): string {
    if (this.o.immediateDelayMs) return new Date(nowMs + Math.max(0, this.o.immediateDelayMs())).toISOString();
    if (this.calendar.token(period, nowMs)) this.replan(nowMs);
    const plan = this.planOf(period, nowMs);
    if (isLate(nowMs, paymentDeadline(plan.settleAtMs, this.policy))) {
      plan.settleAtMs = settlementTime(plan.endMs, this.policy, this.rng, nowMs + this.policy.settleAfterMs);
      this.save();
    }
    return new Date(dueTime(nowMs, paymentDeadline(plan.settleAtMs, this.policy), this.policy, this.rng)).toISOString();
  }

  /** A new bill: the period's end is known better now. */
  billReceived(period: number, nowMs: number): void {
    if (this.immediate) return;
    if (this.calendar.bill(period, nowMs)) this.replan(nowMs);
    this.planOf(period, nowMs); // a period without tokens still gets its settlement time
  }

  /** Whether the next payment may go out now (always, when immediate: the payer's batch decides). */
  mayPay(nowMs: number): boolean {
    if (this.immediate) return true;
    const [t] = dueTokens(this.db, FAR_FUTURE, 1);
    if (!t) return false;
    if (this.next?.tokenId !== t.id) {
      const c = countTokens(this.db, t.period);
      const deadline = paymentDeadline(this.planOf(t.period, nowMs).settleAtMs, this.policy);
      const ready = t.dueAt === null ? nowMs : Date.parse(t.dueAt);
      this.next = { tokenId: t.id, atMs: nextSendTime(ready, this.lastSentMs, c.received + c.scheduled + c.paying, deadline, this.policy, this.rng) };
    }
    return nowMs >= this.next.atMs;
  }

  /** A payment (or a retry) went out. */
  sent(nowMs: number): void {
    this.lastSentMs = nowMs;
    this.next = null;
    if (!this.immediate) setMeta(this.db, 'last-sent', String(nowMs));
  }

  /** The earliest time `period` may be settled (the bill and every receipt must be in as well). */
  settleAt(period: number, nowMs: number): number {
    if (this.immediate) return -Infinity;
    return Math.max(this.planOf(period, nowMs).settleAtMs, (this.lastSentMs ?? -Infinity) + this.policy.settleMarginMs);
  }

  /** The period is settled: its plan is done. */
  settled(period: number): void {
    if (!(period in this.plans)) return;
    delete this.plans[period];
    this.save();
  }

  /** Whether an automatic top-up is due now; `stock` is the count of 1-unit proofs. */
  topUpDue(stock: number, nowMs: number): boolean {
    const t = this.o.topUp;
    if (!t || stock >= t.lowWater) return (this.topUpAtMs = null), false;
    if (this.immediate) return true;
    // The mean delay is an hour for a 30-day period (scaled like the rest of the policy).
    this.topUpAtMs ??= topUpTime(stock, nowMs, { lowWaterUnits: t.lowWater, topUpUnits: t.units, meanDelayMs: this.policy.meanDelayMs / 6 }, this.rng);
    return this.topUpAtMs !== null && nowMs >= this.topUpAtMs;
  }

  /** The top-up was made (or failed: a new delay is drawn). */
  toppedUp(): void {
    this.topUpAtMs = null;
  }

  private planOf(period: number, nowMs: number): Plan {
    let plan = this.plans[period];
    if (!plan) {
      // Drawn first, from the calendar alone: it cannot depend on K. Nothing heard from the meter yet (a rebuilt
      // wallet): taken as ending now, so that it is settled within its grace window.
      const endMs = this.calendar.end(period) ?? nowMs;
      plan = this.plans[period] = { endMs, settleAtMs: settlementTime(endMs, this.policy, this.rng) };
      this.save();
    }
    return plan;
  }

  /** The calendar moved: a settlement time outside its period's new window is drawn again over that window. */
  private replan(nowMs: number): void {
    const p = this.policy;
    for (const [key, plan] of Object.entries(this.plans)) {
      const endMs = this.calendar.end(Number(key));
      if (endMs === null || endMs === plan.endMs) continue;
      plan.endMs = endMs;
      if (plan.settleAtMs < endMs + p.settleAfterMs || plan.settleAtMs >= endMs + p.graceMs - p.settleBeforeEndMs)
        plan.settleAtMs = settlementTime(endMs, p, this.rng, nowMs + p.settleAfterMs);
    }
    this.next = null;
    this.save();
  }

  private save(): void {
    setMeta(this.db, 'schedule', JSON.stringify(this.plans));
  }
}

const total = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);
