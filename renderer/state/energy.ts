/**
 * The Energy screen's logic (issue 12 §2): which stretch of time a view shows (a day, a week from Monday, a month, a
 * year, in this computer's time), its bars (hours, days, days, months or days), previous and next, and its totals.
 * The numbers are the engine's history buckets (exact register differences); nothing is computed from power here.
 */
import type { HistoryBucket, HistoryBucketView } from '../../main/api/index.js';
import { t } from '../i18n/index.js';
import { formatDate } from './format.js';

export type EnergySpan = 'day' | 'week' | 'month' | 'year';
export const SPANS: readonly EnergySpan[] = ['day', 'week', 'month', 'year'];
/** One bar of each view (the year's by default: it can be drawn by day too, `barOf`). */
export type Bar = Extract<HistoryBucket, 'hour' | 'day' | 'month'>;
export const BAR_OF: Record<EnergySpan, Bar> = { day: 'hour', week: 'day', month: 'day', year: 'month' };
/** The year's bars: a month each, or a day each (365 of them). */
export type YearBars = 'month' | 'day';
export const YEAR_BARS: readonly YearBars[] = ['month', 'day'];
export const barOf = (span: EnergySpan, yearBars: YearBars): Bar => (span === 'year' ? yearBars : BAR_OF[span]);

/** The view's stretch [from, to) that holds `anchorMs`, moved by `shift` stretches (−1: the previous one). */
export function spanRange(span: EnergySpan, anchorMs: number, shift = 0): { from: number; to: number } {
  const d = new Date(anchorMs);
  const y = d.getFullYear();
  const m = d.getMonth();
  const day = d.getDate();
  switch (span) {
    case 'day': return { from: new Date(y, m, day + shift).getTime(), to: new Date(y, m, day + shift + 1).getTime() };
    case 'week': {
      const monday = day - ((d.getDay() + 6) % 7) + 7 * shift;
      return { from: new Date(y, m, monday).getTime(), to: new Date(y, m, monday + 7).getTime() };
    }
    case 'month': return { from: new Date(y, m + shift, 1).getTime(), to: new Date(y, m + shift + 1, 1).getTime() };
    case 'year': return { from: new Date(y + shift, 0, 1).getTime(), to: new Date(y + shift + 1, 0, 1).getTime() };
  }
}

export function spanTitle(span: EnergySpan, fromMs: number): string {
  const d = new Date(fromMs);
  switch (span) {
    case 'day': return formatDate(fromMs, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    case 'week': return t('energy.weekOf', { date: formatDate(fromMs, { day: 'numeric', month: 'long', year: 'numeric' }) });
    case 'month': return formatDate(fromMs, { month: 'long', year: 'numeric' });
    case 'year': return String(d.getFullYear());
  }
}

/** A bar's label: the hour, the day of the month (with the weekday for a week, the month for a year), or the month. */
export function barLabel(span: EnergySpan, startIso: string, bar: Bar = BAR_OF[span]): string {
  const d = new Date(startIso);
  switch (span) {
    case 'day': return `${String(d.getHours()).padStart(2, '0')}:00`;
    case 'week': return formatDate(startIso, { weekday: 'short', day: 'numeric' });
    case 'month': return String(d.getDate());
    case 'year': return formatDate(startIso, bar === 'day' ? { day: 'numeric', month: 'short' } : { month: 'short' });
  }
}

export interface EnergyTotals {
  importKwh: number;
  exportKwh: number;
  gasM3: number | null;
  waterM3: number | null;
  /** Null when a bucket has no price for a register it used. */
  cost: number | null;
  seriesBreaks: number;
}

export function totalsOf(buckets: readonly HistoryBucketView[]): EnergyTotals {
  const t: EnergyTotals = { importKwh: 0, exportKwh: 0, gasM3: null, waterM3: null, cost: 0, seriesBreaks: 0 };
  for (const b of buckets) {
    t.importKwh += b.importKwh;
    t.exportKwh += b.exportKwh;
    if (b.gasM3 !== null) t.gasM3 = (t.gasM3 ?? 0) + b.gasM3;
    if (b.waterM3 !== null) t.waterM3 = (t.waterM3 ?? 0) + b.waterM3;
    t.cost = t.cost === null || b.costEstimate === null ? null : t.cost + b.costEstimate;
    t.seriesBreaks += b.seriesBreaks;
  }
  if (buckets.length === 0) t.cost = null;
  return t;
}

/**
 * The same stretch a year before `fromMs` (the start of a view): the same date, month or year; for a week the week
 * 52 weeks back, so its days are the same weekdays. A 29 February falls on 1 March of the year before.
 */
export function yearBefore(span: EnergySpan, fromMs: number): { from: number; to: number } {
  const d = new Date(fromMs);
  const back = span === 'week' ? new Date(d.getFullYear(), d.getMonth(), d.getDate() - 364) : new Date(d.getFullYear() - 1, d.getMonth(), d.getDate());
  return spanRange(span, back.getTime());
}

/** How many bars of `bar` a view of `range` has: its hours (23 or 25 on a day the clocks change), its days, 12 months. */
export function slotCount(bar: Bar, range: { from: number; to: number }): number {
  switch (bar) {
    case 'hour': return Math.round((range.to - range.from) / 3_600_000);
    case 'day': return Math.round((range.to - range.from) / 86_400_000);
    case 'month': return 12;
  }
}

/** Which bar of `bar`s a bucket starting at `startIso` is in a view starting at `fromMs`, so this year and last line up. */
export function slotOf(bar: Bar, fromMs: number, startIso: string): number {
  const t = Date.parse(startIso);
  switch (bar) {
    case 'hour': return Math.round((t - fromMs) / 3_600_000);
    case 'day': return Math.round((t - fromMs) / 86_400_000);
    case 'month': return new Date(t).getMonth() - new Date(fromMs).getMonth();
  }
}
