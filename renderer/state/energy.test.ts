import { describe, expect, it } from 'vitest';
import type { HistoryBucketView } from '../../main/api/index.js';
import { barLabel, spanRange, spanTitle, totalsOf } from './energy.js';

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
});
