import { describe, expect, it } from 'vitest';
import { paymentDeadline, seededRandom } from '../scheduler/index.js';
import { type Db, openWalletDb, receiveToken, scheduleToken } from '../wallet/index.js';
import { PeriodCalendar } from './calendar.js';
import { PaymentTiming } from './payment-timing.js';

const P = 60_000; // an accelerated period: one minute, grace 10 s
const billing = { periodMs: P, graceMs: 10_000 };
const T0 = 1_800_000_000_000;

let serial = 0;
/** Stores a fresh token of `period` and schedules it as the engine does. */
function arrive(db: Db, timing: PaymentTiming, period: number, nowMs: number): number {
  const T = new Uint8Array(48);
  new DataView(T.buffer).setUint32(0, ++serial);
  const { id } = receiveToken(db, { set: 1, period, index: serial, T, sig: new Uint8Array(64) });
  scheduleToken(db, id!, timing.tokenDue(period, nowMs));
  return id!;
}

const dueOf = (db: Db, id: number) => Date.parse((db.prepare('SELECT due_at FROM tokens WHERE id = ?').get(id) as { due_at: string }).due_at);

describe('PeriodCalendar', () => {
  it('bounds the end by tokens and bills, and a bill seen live sets it, later or earlier', () => {
    const db = openWalletDb(':memory:');
    const stored = new Map<number, number>();
    const cal = new PeriodCalendar(db, P, 1_000, (p) => stored.get(p) ?? 0);
    expect(cal.end(3)).toBeNull();
    cal.telegram(T0);
    cal.token(3, T0); // period 3 has begun by T0: it ends by T0 + P
    expect(cal.end(3)).toBe(T0 + P);
    expect(cal.end(4)).toBe(T0 + 2 * P);
    cal.token(3, T0 + 10); // a later token is a weaker bound
    expect(cal.end(3)).toBe(T0 + P);
    // The first telegram after the link came up carries the bill: only a bound (it may be an old carousel repeat).
    cal.telegram(T0 + 5 * P);
    expect(cal.bill(3, T0 + 5 * P)).toBe(false);
    expect(cal.end(3)).toBe(T0 + P);
    // A paused meter (the demo between runs): the link is up, then the bill of 4 comes live, later than estimated.
    cal.telegram(T0 + 5 * P + 500);
    expect(cal.bill(4, T0 + 5 * P + 500)).toBe(true);
    expect(cal.end(4)).toBe(T0 + 5 * P + 500);
    // Kept in the wallet across restarts; another period length starts over.
    expect(new PeriodCalendar(db, P, 1_000, () => 0).end(4)).toBe(T0 + 5 * P + 500);
    expect(new PeriodCalendar(db, 2 * P, 1_000, () => 0).end(4)).toBeNull();
    // A bill after a token of the next period had come is no live close.
    stored.set(6, 1);
    cal.telegram(T0 + 8 * P);
    cal.telegram(T0 + 8 * P + 500);
    expect(cal.bill(5, T0 + 8 * P + 500)).toBe(false);
    db.close();
  });
});

describe('PaymentTiming', () => {
  it('draws the settlement once per period, in its window, kept across restarts; every due time before the deadline', () => {
    const db = openWalletDb(':memory:');
    const timing = new PaymentTiming(db, { billing, random: seededRandom(1) });
    const p = timing.policy;
    const ids = Array.from({ length: 20 }, (_, i) => arrive(db, timing, 1, T0 + i * 1_000));
    const end = T0 + P; // from the first token: the period ends at most one P after it was heard
    const settleAt = timing.settleAt(1, T0);
    expect(settleAt).toBeGreaterThanOrEqual(end + p.settleAfterMs);
    expect(settleAt).toBeLessThan(end + p.graceMs - p.settleBeforeEndMs);
    for (const [i, id] of ids.entries()) {
      expect(dueOf(db, id)).toBeGreaterThanOrEqual(T0 + i * 1_000);
      expect(dueOf(db, id)).toBeLessThanOrEqual(paymentDeadline(settleAt, p));
    }
    expect(new PaymentTiming(db, { billing, random: seededRandom(99) }).settleAt(1, T0)).toBe(settleAt);
    db.close();
  });

  it('a token after the deadline draws the settlement again over what is left, at least settleAfter on', () => {
    const db = openWalletDb(':memory:');
    const timing = new PaymentTiming(db, { billing, random: seededRandom(2) });
    arrive(db, timing, 1, T0);
    const late = paymentDeadline(timing.settleAt(1, T0), timing.policy) + 1;
    const id = arrive(db, timing, 1, late);
    const again = timing.settleAt(1, late);
    expect(again).toBeGreaterThanOrEqual(late + timing.policy.settleAfterMs);
    expect(dueOf(db, id)).toBeLessThanOrEqual(paymentDeadline(again, timing.policy));
    db.close();
  });

  it('draws the settlement again when a bill seen live moves the end of its period away from its window', () => {
    const db = openWalletDb(':memory:');
    const timing = new PaymentTiming(db, { billing, random: seededRandom(5) });
    const p = timing.policy;
    const inWindow = (t: number, end: number) => t >= end + p.settleAfterMs && t < end + p.graceMs - p.settleBeforeEndMs;
    // Heard first mid-period: the end is estimated a whole period after that token, too late.
    timing.telegram(T0);
    arrive(db, timing, 1, T0);
    expect(inWindow(timing.settleAt(1, T0), T0 + P)).toBe(true);
    // The link stays up; the meter closes period 1 at T0 + P/2.
    const end = T0 + P / 2;
    timing.telegram(end - 500);
    timing.telegram(end);
    timing.billReceived(1, end);
    expect(inWindow(timing.settleAt(1, end), end)).toBe(true);
    // A paused meter (the demo between runs): period 2 closes long after its estimate; its settlement follows.
    arrive(db, timing, 2, end + 1_000);
    const late = end + 10 * P;
    timing.telegram(late - 500);
    timing.telegram(late);
    timing.billReceived(2, late);
    expect(inWindow(timing.settleAt(2, late), late)).toBe(true);
    db.close();
  });

  it('lets one payment go at a time, never closer than minGap, and settles no earlier than settleMargin after the last', () => {
    const db = openWalletDb(':memory:');
    const timing = new PaymentTiming(db, { billing, random: seededRandom(3) });
    const p = timing.policy;
    for (let i = 0; i < 30; i++) arrive(db, timing, 1, T0);
    const sent: number[] = [];
    // Walk the clock in small steps past every due time: a backlog leaves paced, not as a burst.
    for (let now = T0; now < T0 + P + p.graceMs && sent.length < 30; now += 5) {
      if (!timing.mayPay(now)) continue;
      db.prepare("UPDATE tokens SET state = 'receipted' WHERE id = (SELECT id FROM tokens WHERE state = 'scheduled' ORDER BY due_at, id LIMIT 1)").run(); // paid
      timing.sent(now);
      sent.push(now);
    }
    expect(sent).toHaveLength(30);
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(p.minGapMs);
    expect(timing.mayPay(sent.at(-1)! + 1)).toBe(false); // nothing left
    expect(timing.settleAt(1, T0)).toBeGreaterThanOrEqual(sent.at(-1)! + p.settleMarginMs);
    db.close();
  });

  it('immediate (tests, benchmarks): due after the given delay, no pacing, settle at once; top-up whenever low', () => {
    const db = openWalletDb(':memory:');
    const timing = new PaymentTiming(db, { billing, immediateDelayMs: () => 7, topUp: { units: 100, lowWater: 10 } });
    const id = arrive(db, timing, 1, T0);
    expect(dueOf(db, id)).toBe(T0 + 7);
    expect(timing.mayPay(T0)).toBe(true);
    expect(timing.settleAt(1, T0)).toBe(-Infinity);
    expect(timing.topUpDue(9, T0)).toBe(true);
    expect(timing.topUpDue(10, T0)).toBe(false);
    db.close();
  });

  it('tops up a fixed amount only below the low-water mark, after a delay drawn once', () => {
    const db = openWalletDb(':memory:');
    const timing = new PaymentTiming(db, { billing, topUp: { units: 100, lowWater: 10 }, random: seededRandom(4) });
    expect(timing.topUpDue(10, T0)).toBe(false);
    expect(timing.topUpDue(9, T0)).toBe(false); // the delay is drawn now and kept
    expect(timing.topUpDue(9, T0 + P)).toBe(true);
    timing.toppedUp();
    expect(new PaymentTiming(db, { billing }).topUpDue(0, T0)).toBe(false); // no automatic top-up unless asked for
    db.close();
  });
});
