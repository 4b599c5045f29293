/**
 * When each billing period ends, in this computer's time (docs/timing-privacy.md §How the engine uses it). The meter
 * says which period a token or a bill belongs to, not when periods end, and its telegram time stamps are its own
 * clock (accelerated in the demo), so the end is read from what arrives when:
 *
 *   - a fresh token of period t arriving at s: period t has begun, so end(t − 1) ≤ s;
 *   - a bill of period t arriving at b: end(t) ≤ b;
 *   - periods have one length P, so one number places them all: end(t) = phase + t·P, and the phase is the tightest
 *     of these bounds (it only moves earlier);
 *   - a bill seen **live** (the link was already up before its telegram, and no token of t + 1 came before it) is
 *     the meter closing t right now: it sets the phase exactly, later or earlier (a meter that was paused, like the
 *     demo's between two runs, or a first estimate from a token heard mid-period).
 *
 * The phase is kept in the wallet (meta `calendar`), so a restart keeps what was learnt.
 * @module
 */
import { type Db, getMeta, setMeta } from '../wallet/index.js';

interface Stored {
  periodMs: number;
  phaseMs: number;
}

export class PeriodCalendar {
  private phase: number | null = null;
  /** Telegrams of the current unbroken stretch of the link, and when the last one came. */
  private stretch = { telegrams: 0, lastMs: -Infinity };
  /** Fresh tokens per period in the telegram being read (they come before its bill). */
  private inTelegram = new Map<number, number>();

  /**
   * @param linkGapMs a longer silence than this breaks the link's stretch (a real meter sends every 1–10 s).
   * @param storedTokens how many tokens of a period the wallet holds.
   */
  constructor(
    private readonly db: Db, private readonly periodMs: number, private readonly linkGapMs: number,
    private readonly storedTokens: (period: number) => number,
  ) {
    const s = JSON.parse(getMeta(db, 'calendar') ?? 'null') as Stored | null;
    if (s && s.periodMs === periodMs) this.phase = s.phaseMs; // another period length: start over
  }

  /** The estimated end of `period` (ms since the epoch), or null before anything was heard. */
  end(period: number): number | null {
    return this.phase === null ? null : this.phase + period * this.periodMs;
  }

  /** A telegram arrived (its reading comes before its tokens and bill). */
  telegram(nowMs: number): void {
    this.stretch = { telegrams: nowMs - this.stretch.lastMs > this.linkGapMs ? 1 : this.stretch.telegrams + 1, lastMs: nowMs };
    this.inTelegram.clear();
  }

  /** A fresh token of `period`; returns whether the estimate moved. */
  token(period: number, nowMs: number): boolean {
    this.inTelegram.set(period, (this.inTelegram.get(period) ?? 0) + 1);
    return this.bound(nowMs - (period - 1) * this.periodMs);
  }

  /** A new bill of `period`; returns whether the estimate moved. */
  bill(period: number, nowMs: number): boolean {
    const phase = nowMs - period * this.periodMs;
    const live = this.stretch.telegrams >= 2 && this.storedTokens(period + 1) === (this.inTelegram.get(period + 1) ?? 0);
    return live ? this.set(phase) : this.bound(phase);
  }

  private bound(phase: number): boolean {
    return this.phase === null || phase < this.phase ? this.set(phase) : false;
  }

  private set(phase: number): boolean {
    if (phase === this.phase) return false;
    this.phase = phase;
    setMeta(this.db, 'calendar', JSON.stringify({ periodMs: this.periodMs, phaseMs: phase } satisfies Stored));
    return true;
  }
}
