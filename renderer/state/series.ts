/**
 * Chart data from meter readings. A reading's `energyWh` is the meter's cumulative import register (P1 1-0:1.8.x),
 * so consumption in a bucket is the rise of the register inside it. A register that goes down (a meter replaced)
 * starts a new run instead of counting negative energy. Everything here stays on this computer.
 * @module
 */
import type { PowerMinuteView, ReadingView } from '../../main/api/index.js';

export type Bucket = 'hour' | 'day';

export interface EnergySeries {
  /** Bucket starts, Unix seconds (uPlot's x scale). */
  t: number[];
  kwh: number[];
  /** This bucket's share of the period's units, by energy: an estimate, see costShare. */
  units: number[];
}

const SPAN_MS: Record<Bucket, number> = { hour: 3_600_000, day: 86_400_000 };

/** Start of the local hour or day containing `ms`, for a clock `offsetMinutes` ahead of UTC. */
export function bucketStart(ms: number, bucket: Bucket, offsetMinutes: number): number {
  const shift = offsetMinutes * 60_000;
  return Math.floor((ms + shift) / SPAN_MS[bucket]) * SPAN_MS[bucket] - shift;
}

/** Energy per bucket; empty buckets between readings are kept (zero) so the chart shows gaps as flat. */
export function energySeries(readings: readonly ReadingView[], bucket: Bucket, offsetMinutes: number, periodUnits = 0): EnergySeries {
  const sums = new Map<number, number>();
  let first: number | null = null;
  let last: number | null = null;
  for (let i = 1; i < readings.length; i++) {
    const prev = readings[i - 1]!;
    const cur = readings[i]!;
    const rise = cur.energyWh - prev.energyWh;
    if (rise < 0) continue;
    const start = bucketStart(Date.parse(cur.at), bucket, offsetMinutes);
    sums.set(start, (sums.get(start) ?? 0) + rise);
    first = first === null ? start : Math.min(first, start);
    last = last === null ? start : Math.max(last, start);
  }
  const t: number[] = [];
  const kwh: number[] = [];
  if (first !== null && last !== null)
    for (let s = first; s <= last; s += SPAN_MS[bucket]) {
      t.push(s / 1000);
      kwh.push((sums.get(s) ?? 0) / 1000);
    }
  return { t, kwh, units: costShare(kwh, periodUnits) };
}

/**
 * Spreads the period's units over buckets in proportion to energy. Exact for a flat tariff; with a time-of-use tariff
 * it is an estimate (the engine reports units per period, not per hour), and the chart labels it so.
 */
export function costShare(kwh: readonly number[], periodUnits: number): number[] {
  const total = kwh.reduce((a, b) => a + b, 0);
  return kwh.map((k) => (total === 0 ? 0 : (periodUnits * k) / total));
}

/**
 * Power over time for the line, as uPlot columns (seconds, watts): the history's minutes (their mean power, at the
 * minute's start) that ended before the engine's in-memory readings begin (all of them after a restart), then those
 * readings as they arrive.
 */
export function powerSeries(readings: readonly ReadingView[], stored: readonly PowerMinuteView[] = []): [number[], (number | null)[]] {
  const first = readings[0] === undefined ? Infinity : Date.parse(readings[0].at);
  const t: number[] = [];
  const w: (number | null)[] = []; // null: a minute without power from the meter, a gap in the line
  for (const m of stored) {
    const ms = Date.parse(m.start);
    if (ms + 60_000 > first) break;
    t.push(ms / 1000);
    w.push(m.powerW?.mean ?? null);
  }
  for (const r of readings) {
    t.push(Date.parse(r.at) / 1000);
    w.push(r.powerW);
  }
  return [t, w];
}

export interface Totals {
  /** Energy since local midnight, Wh. */
  todayWh: number;
  /** Energy over all readings held (the current period), Wh. */
  periodWh: number;
  /** The latest power, or null before the first reading. */
  powerW: number | null;
  /** The latest power per phase (L1–L3), when the meter sends it. */
  phasesW: (number | null)[] | null;
  lastAt: string | null;
}

export function totals(readings: readonly ReadingView[], nowMs: number, offsetMinutes: number): Totals {
  const midnight = bucketStart(nowMs, 'day', offsetMinutes);
  let todayWh = 0;
  let periodWh = 0;
  for (let i = 1; i < readings.length; i++) {
    const rise = readings[i]!.energyWh - readings[i - 1]!.energyWh;
    if (rise < 0) continue;
    periodWh += rise;
    if (Date.parse(readings[i]!.at) >= midnight) todayWh += rise;
  }
  const latest = readings.at(-1);
  return { todayWh, periodWh, powerW: latest?.powerW ?? null, phasesW: latest?.phasesW ?? null, lastAt: latest?.at ?? null };
}

/**
 * An estimate of what the readings since `fromMs` cost: each rise of the import register priced at the price of the
 * tariff register the meter said was in use (the first price when it did not say). The exact cost is the tokens'.
 */
export function estimatedCost(readings: readonly ReadingView[], fromMs: number, perKWh: readonly number[]): number {
  let cost = 0;
  for (let i = 1; i < readings.length; i++) {
    const r = readings[i]!;
    const rise = r.energyWh - readings[i - 1]!.energyWh;
    if (rise < 0 || Date.parse(r.at) < fromMs) continue;
    cost += (rise / 1000) * (perKWh[(r.tariff ?? 1) - 1] ?? perKWh[0] ?? 0);
  }
  return cost;
}

/** "Now" by the meter's clock (the newest reading's time stamp, accelerated in the demo), else this computer's. */
export const meterNow = (readings: readonly ReadingView[], fallbackMs: number): number => {
  const at = readings.at(-1)?.at;
  return at === undefined ? fallbackMs : Date.parse(at);
};
