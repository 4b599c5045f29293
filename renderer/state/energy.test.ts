import { describe, expect, it } from 'vitest';
import type { HistoryBucketView } from '../../main/api/index.js';
import { barLabel, barOf, slotCount, slotOf, spanRange, spanTitle, totalsOf, yearBefore } from './energy.js';

const local = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h).getTime();

describe('energy views', () => {
  it('a day, a week from Monday, a month and a year hold the anchor; previous and next move by one', () => {
    const anchor = local(2026, 3, 18, 15); // a Wednesday
    expect(spanRange('day', anchor)).toEqual({ from: local(2026, 3, 18), to: local(2026, 3, 19) });
    expect(spanRange('week', anchor)).toEqual({ from: local(2026, 3, 16), to: local(2026, 3, 23) });
    expect(spanRange('week', anchor, -1)).toEqual({ from: local(2026, 3, 9), to: local(2026, 3, 16) });
    expect(spanRange('month', anchor, 1)).toEqual({ from: local(2026, 4, 1), to: local(2026, 5, 1) });
    expect(spanRange('year', anchor, -1)).toEqual({ from: local(2025, 1, 1), to: local(2026, 1, 1) });
    expect(spanRange('day', local(2026, 3, 1), -1).from).toBe(local(2026, 2, 28));
    expect(spanTitle('month', local(2026, 3, 1))).toBe('March 2026');
    expect(barLabel('day', new Date(local(2026, 3, 1, 7)).toISOString())).toBe('07:00');
  });

  it('adds up the buckets; cost is unknown as soon as one bucket is, gas only when the meter sends it', () => {
    const b = (importKwh: number, costEstimate: number | null, gasM3: number | null): HistoryBucketView => ({
      start: '2026-01-01T00:00:00.000Z', importKwh, exportKwh: 1, gasM3, waterM3: null, costEstimate, seriesBreaks: 0,
      importByRegister: { t1: importKwh, t2: 0, t3: 0, t4: 0, total: 0 }, exportByRegister: { t1: 1, t2: 0, t3: 0, t4: 0, total: 0 },
    });
    expect(totalsOf([b(2, 0.5, 1), b(3, 0.75, 2)])).toEqual({ importKwh: 5, exportKwh: 2, gasM3: 3, waterM3: null, cost: 1.25, seriesBreaks: 0 });
    expect(totalsOf([b(2, 0.5, null), b(3, null, null)]).cost).toBeNull();
    expect(totalsOf([]).cost).toBeNull();
  });

  it('the same stretch a year before: the same date, month or year; a week 52 weeks back, Monday to Monday', () => {
    expect(yearBefore('day', local(2026, 3, 18))).toEqual({ from: local(2025, 3, 18), to: local(2025, 3, 19) });
    expect(yearBefore('week', local(2026, 3, 16))).toEqual({ from: local(2025, 3, 17), to: local(2025, 3, 24) });
    expect(new Date(yearBefore('week', local(2026, 3, 16)).from).getDay()).toBe(1);
    expect(yearBefore('month', local(2026, 3, 1))).toEqual({ from: local(2025, 3, 1), to: local(2025, 4, 1) });
    expect(yearBefore('year', local(2026, 1, 1))).toEqual({ from: local(2025, 1, 1), to: local(2026, 1, 1) });
    expect(yearBefore('day', local(2028, 2, 29)).from).toBe(local(2027, 3, 1));
  });

  it('bars line up by their place in the view: hour, weekday, day of the month, month', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(slotCount('day', spanRange('month', local(2026, 2, 10)))).toBe(28);
    expect(slotCount('hour', spanRange('day', local(2026, 3, 18)))).toBe(24);
    expect(slotCount('month', spanRange('year', local(2026, 3, 18)))).toBe(12);
    expect(slotOf('hour', local(2026, 3, 18), iso(local(2026, 3, 18, 7)))).toBe(7);
    expect(slotOf('day', local(2026, 3, 16), iso(local(2026, 3, 22)))).toBe(6);
    expect(slotOf('day', local(2026, 3, 1), iso(local(2026, 3, 31)))).toBe(30);
    expect(slotOf('month', local(2025, 1, 1), iso(local(2025, 12, 1)))).toBe(11);
  });

  it('a year by day: 365 or 366 bars, each day in its place, labelled with its date', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(barOf('year', 'day')).toBe('day');
    expect(barOf('year', 'month')).toBe('month');
    expect(barOf('week', 'day')).toBe('day');
    expect(slotCount('day', spanRange('year', local(2026, 6, 1)))).toBe(365);
    expect(slotCount('day', spanRange('year', local(2028, 6, 1)))).toBe(366);
    expect(slotOf('day', local(2026, 1, 1), iso(local(2026, 12, 31)))).toBe(364);
    expect(barLabel('year', iso(local(2026, 3, 7)), 'day')).toBe('7 Mar');
    expect(barLabel('year', iso(local(2026, 3, 7)))).toBe('Mar');
  });
});
