/**
 * Belgium's capacity tariff (docs/engine.md §Capacity peak): the month's highest quarter-hour average import power,
 * the running quarter-hour's average and where it heads. A quarter-hour's power is its import energy × 4: register
 * differences from the quarter-hour aggregates (exact, aligned to :00/:15/:30/:45, which every time zone shares), or
 * the meter's own 1-0:1.6.0 (this month's peak) and 1-0:1.4.0 (the running quarter's average) when it sends them.
 * @module
 */
import type { CapacityView } from '../../api/index.js';
import type { Readings } from '../../../protocol/index.js';
import type { Db } from './db.js';
import { bucketStart } from './query.js';

export const QUARTER_S = 900;

/** What the meter said last about demand, with its telegram's time (s). */
export interface MeterDemand {
  t: number;
  averageKw: number | null;
  peak: { kw: number; at: number | null } | null;
}

export function meterDemandOf(r: Readings, t: number): MeterDemand | null {
  if (r.averageDemandKw === undefined && r.maxDemandMonth === undefined) return null;
  const at = r.maxDemandMonth?.timestamp?.utc ? Date.parse(r.maxDemandMonth.timestamp.utc) / 1000 : NaN;
  return {
    t,
    averageKw: r.averageDemandKw ?? null,
    peak: r.maxDemandMonth === undefined ? null : { kw: r.maxDemandMonth.valueKw, at: Number.isFinite(at) ? at : null },
  };
}

export interface CapacityInput {
  /** The newest telegram's time (s). */
  now: number;
  /** The local month's start (s). */
  monthStart: number;
  /** The month's highest complete quarter-hour before the running one: its start (s) and import (Wh); null if none. */
  peakQuarter: { start: number; wh: number } | null;
  /** Import (Wh) in the running quarter-hour so far. */
  runningWh: number;
  /** Import power now (W); null when the meter sends none. */
  powerW: number | null;
  /** The meter's own values, when its newest telegram carried them. */
  meter: MeterDemand | null;
}

const kw = (x: number) => Math.round(x * 1000) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();

/** The capacity view from registers, or from the meter's own demand values where its newest telegram has them. */
export function capacityOf(i: CapacityInput): CapacityView {
  const start = Math.floor(i.now / QUARTER_S) * QUARTER_S;
  const elapsed = i.now - start;
  const meter = i.meter !== null && i.meter.t === i.now ? i.meter : null; // only what the newest telegram said
  const meterPeak = meter?.peak != null && (meter.peak.at === null || meter.peak.at >= i.monthStart) ? meter.peak : null;
  const monthPeak = meterPeak !== null
    ? { kw: kw(meterPeak.kw), at: meterPeak.at === null ? null : iso(meterPeak.at), source: 'meter' as const }
    : i.peakQuarter === null ? null : { kw: kw((i.peakQuarter.wh * 4) / 1000), at: iso(i.peakQuarter.start), source: 'registers' as const };
  const nowKw = i.powerW === null ? null : i.powerW / 1000;
  const averageKw = meter?.averageKw ?? (elapsed > 0 ? (i.runningWh * 3.6) / elapsed : nowKw ?? 0);
  // The rest of the quarter at today's power (or at the average so far when the meter sends no power).
  const projectedKw = (averageKw * elapsed + (nowKw ?? averageKw) * (QUARTER_S - elapsed)) / QUARTER_S;
  return {
    monthPeak,
    quarter: { start: iso(start), averageKw: kw(averageKw), projectedKw: kw(projectedKw), source: meter?.averageKw != null ? 'meter' : 'registers' },
    headingAbovePeak: monthPeak !== null && projectedKw > monthPeak.kw,
  };
}

const IMPORT = 'import1 + import2 + import3 + import4 + import_total';

/** Reads the month's peak quarter and the running quarter's import from the quarter-hour aggregates. */
export function capacityFromDb(db: Db, now: number | null, powerW: number | null, meter: MeterDemand | null): CapacityView {
  if (now === null) return { monthPeak: null, quarter: null, headingAbovePeak: false };
  const start = Math.floor(now / QUARTER_S) * QUARTER_S;
  const monthStart = Math.floor(bucketStart(now * 1000, 'month') / 1000);
  const peak = db.prepare(`SELECT start, ${IMPORT} AS wh FROM agg_15min WHERE start >= ? AND start < ? ORDER BY wh DESC, start LIMIT 1`)
    .get(monthStart, start) as { start: number; wh: number } | undefined;
  const running = db.prepare(`SELECT ${IMPORT} AS wh FROM agg_15min WHERE start = ?`).get(start) as { wh: number } | undefined;
  return capacityOf({ now, monthStart, peakQuarter: peak ?? null, runningWh: running?.wh ?? 0, powerW, meter });
}
