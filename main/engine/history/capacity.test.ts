import { describe, expect, it } from 'vitest';
import { householdReadings } from '../../../test/support/household-readings.js';
import { capacityOf } from './capacity.js';
import { History, openHistoryDb } from './index.js';

const arrived = '2000-01-01T00:00:00Z';
/** Mid-month (local) in any zone, on a quarter-hour. */
const T = Math.floor(new Date(2026, 2, 16, 12, 0).getTime() / 1000);
const iso = (s: number) => new Date(s * 1000).toISOString();

describe('capacity peak from numbers', () => {
  it('the running quarter: average so far, projected to its end at the power now, warned above the peak', () => {
    const c = capacityOf({ now: T + 300, monthStart: T - 86_400, peakQuarter: { start: T - 900, wh: 750 }, runningWh: 250, powerW: 6_000, meter: null });
    expect(c).toEqual({
      monthPeak: { kw: 3, at: iso(T - 900), source: 'registers' },
      quarter: { start: iso(T), averageKw: 3, projectedKw: 5, source: 'registers' }, // (3 kW × 5 min + 6 kW × 10 min) / 15 min
      headingAbovePeak: true,
    });
    const calm = capacityOf({ now: T + 300, monthStart: T - 86_400, peakQuarter: { start: T - 900, wh: 750 }, runningWh: 250, powerW: 1_500, meter: null });
    expect(calm.quarter!.projectedKw).toBe(2);
    expect(calm.headingAbovePeak).toBe(false);
  });

  it("takes the meter's 1-0:1.6.0 and 1-0:1.4.0 from the newest telegram, not a peak of last month", () => {
    const meter = { t: T + 450, averageKw: 4, peak: { kw: 3.5, at: T - 3_000 } };
    const c = capacityOf({ now: T + 450, monthStart: T - 86_400, peakQuarter: { start: T - 900, wh: 750 }, runningWh: 0, powerW: 2_000, meter });
    expect(c).toEqual({ monthPeak: { kw: 3.5, at: iso(T - 3_000), source: 'meter' }, quarter: { start: iso(T), averageKw: 4, projectedKw: 3, source: 'meter' }, headingAbovePeak: false });
    const stale = capacityOf({ now: T + 450, monthStart: T - 86_400, peakQuarter: { start: T - 900, wh: 750 }, runningWh: 0, powerW: 2_000, meter: { ...meter, peak: { kw: 9, at: T - 90_000 } } });
    expect(stale.monthPeak).toEqual({ kw: 3, at: iso(T - 900), source: 'registers' });
    const old = capacityOf({ now: T + 451, monthStart: T - 86_400, peakQuarter: null, runningWh: 0, powerW: null, meter });
    expect(old).toMatchObject({ monthPeak: null, quarter: { averageKw: 0, projectedKw: 0, source: 'registers' }, headingAbovePeak: false });
  });
});

describe('capacity peak from the registers stored', () => {
  it("is the month's highest quarter-hour of import × 4, aligned to :00/:15/:30/:45; last month's do not count", () => {
    const h = new History(openHistoryDb(':memory:'));
    let wh = 1_000_000;
    const feed = (from: number, to: number, watts: (t: number) => number) => {
      for (let t = from; t < to; t += 10) {
        const w = watts(t);
        wh += (w * 10) / 3600;
        h.add(householdReadings(t, { import: [Math.floor(wh), 0], powerW: w }), arrived);
      }
    };
    const lastMonth = Math.floor(new Date(2026, 1, 10, 12, 0).getTime() / 1000);
    feed(lastMonth, lastMonth + 3_600, () => 9_000); // a higher peak, last month
    feed(T - 3_600, T, (t) => (t >= T - 1_800 && t < T - 900 ? 3_600 : 720)); // 12:30–12:45's quarter: 3.6 kW
    feed(T, T + 301, () => 7_200); // the running quarter, 5 minutes in at 7.2 kW
    const c = h.capacity();
    expect(c.monthPeak).toEqual({ kw: 3.6, at: iso(T - 1_800), source: 'registers' });
    expect(c.quarter!.start).toBe(iso(T));
    // 31 telegrams in it (T to T + 300) each bring 20 Wh: the one at T brings the 10 s before the quarter with it.
    expect(c.quarter!.averageKw).toBe(Math.round(((31 * 20 * 3.6) / 300) * 1000) / 1000);
    expect(c.quarter!.projectedKw).toBe(Math.round(((31 * 20 * 3.6 + 7.2 * 600) / 900) * 1000) / 1000);
    expect(c.headingAbovePeak).toBe(true);
    h.close();
  });

  it('says nothing before the first telegram', () => {
    const h = new History(openHistoryDb(':memory:'));
    expect(h.capacity()).toEqual({ monthPeak: null, quarter: null, headingAbovePeak: false });
    h.close();
  });
});
