import { describe, expect, it } from 'vitest';
import type { ReadingView } from '../../main/api/index.js';
import { bucketStart, costShare, energySeries, estimatedCost, meterNow, powerSeries, totals } from './series.js';

const at = (iso: string, energyWh: number, powerW = 500, tariff: number | null = null): ReadingView => ({ at: iso, energyWh, powerW, tariff });

describe('chart series', () => {
  it('starts buckets on the local hour and day', () => {
    const ms = Date.parse('2026-03-10T23:30:00Z');
    expect(new Date(bucketStart(ms, 'hour', 0)).toISOString()).toBe('2026-03-10T23:00:00.000Z');
    expect(new Date(bucketStart(ms, 'day', 0)).toISOString()).toBe('2026-03-10T00:00:00.000Z');
    // At UTC+1 it is already 00:30 on the 11th.
    expect(new Date(bucketStart(ms, 'day', 60)).toISOString()).toBe('2026-03-10T23:00:00.000Z');
  });

  it('sums register rises per hour, keeps empty hours, skips a register reset', () => {
    const rs = [
      at('2026-03-10T10:10:00Z', 1000),
      at('2026-03-10T10:50:00Z', 1500),
      at('2026-03-10T11:20:00Z', 2000),
      at('2026-03-10T13:05:00Z', 2600),
      at('2026-03-10T13:10:00Z', 50), // meter replaced: not minus 2550 Wh
      at('2026-03-10T13:40:00Z', 150),
    ];
    const s = energySeries(rs, 'hour', 0, 14);
    expect(s.t.map((x) => new Date(x * 1000).toISOString().slice(11, 16))).toEqual(['10:00', '11:00', '12:00', '13:00']);
    expect(s.kwh).toEqual([0.5, 0.5, 0, 0.7]);
    expect(s.units.reduce((a, b) => a + b, 0)).toBeCloseTo(14);
    expect(s.units[3]).toBeCloseTo(14 * 0.7 / 1.7);
  });

  it('gives nothing to draw from fewer than two readings', () => {
    expect(energySeries([], 'day', 0).t).toEqual([]);
    expect(energySeries([at('2026-03-10T10:00:00Z', 5)], 'day', 0).kwh).toEqual([]);
    expect(costShare([0, 0], 10)).toEqual([0, 0]);
  });

  it('a full period of 10,000 readings becomes one bar per day', () => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    const rs = Array.from({ length: 10_000 }, (_, i) => at(new Date(start + i * 180_000).toISOString(), i * 10));
    const s = energySeries(rs, 'day', 0);
    expect(s.t.length).toBe(21);
    expect(s.kwh.reduce((a, b) => a + b, 0)).toBeCloseTo(99.99);
    expect(powerSeries(rs)[0].length).toBe(10_000);
  });

  it('power: the stored minutes that ended before the in-memory readings, then the readings; all minutes after a restart', () => {
    const minute = (iso: string, mean: number | null) => ({ start: iso, powerW: mean === null ? null : { min: 0, mean, max: 2 * mean }, exportPowerW: null,
      phasePowerW: [], phaseExportW: [], importWh: 0, exportWh: 0, tariff: 1 });
    const stored = [minute('2026-03-10T10:00:00Z', 300), minute('2026-03-10T10:01:00Z', null), minute('2026-03-10T10:02:00Z', 900)];
    const live = [at('2026-03-10T10:02:30Z', 0, 950), at('2026-03-10T10:02:31Z', 0, 1000)];
    const s0 = Date.parse('2026-03-10T10:00:00Z') / 1000;
    expect(powerSeries(live, stored)).toEqual([[s0, s0 + 60, s0 + 150, s0 + 151], [300, null, 950, 1000]]);
    expect(powerSeries([], stored)).toEqual([[s0, s0 + 60, s0 + 120], [300, null, 900]]);
  });

  it('totals today from local midnight', () => {
    const rs = [at('2026-03-09T22:00:00Z', 0), at('2026-03-09T23:30:00Z', 300), at('2026-03-10T08:00:00Z', 1300, 2100)];
    const t = totals(rs, Date.parse('2026-03-10T09:00:00Z'), 0);
    expect(t).toEqual({ todayWh: 1000, periodWh: 1300, powerW: 2100, phasesW: null, lastAt: '2026-03-10T08:00:00Z' });
    expect(totals(rs, Date.parse('2026-03-10T09:00:00Z'), 60).todayWh).toBe(1300);
    expect(totals([], 0, 0).powerW).toBeNull();
  });

  it('estimates cost from the readings by tariff register, and takes "now" from the meter', () => {
    const rs = [at('2026-03-10T06:00:00Z', 1000, 500, 1), at('2026-03-10T07:00:00Z', 3000, 500, 1), at('2026-03-10T08:00:00Z', 4000, 500, 2),
      at('2026-03-10T09:00:00Z', 5000, 500, null)];
    // 2 kWh at 0.20, 1 kWh at 0.30, 1 kWh without a register said: the first price.
    expect(estimatedCost(rs, 0, [0.2, 0.3])).toBeCloseTo(0.4 + 0.3 + 0.2, 10);
    expect(estimatedCost(rs, Date.parse('2026-03-10T07:30:00Z'), [0.2, 0.3])).toBeCloseTo(0.5, 10);
    expect(meterNow(rs, 0)).toBe(Date.parse('2026-03-10T09:00:00Z'));
    expect(meterNow([], 42)).toBe(42);
  });
});
