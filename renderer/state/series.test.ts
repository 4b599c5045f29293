import { describe, expect, it } from 'vitest';
import type { ReadingView } from '../../main/api/index.js';
import { latest, meterNow, powerSeries } from './series.js';

const at = (iso: string, energyWh: number, powerW = 500, tariff: number | null = null): ReadingView => ({ at: iso, energyWh, powerW, tariff });

describe('live readings', () => {
  it('a full period of 10,000 readings is 10,000 points of power', () => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    const rs = Array.from({ length: 10_000 }, (_, i) => at(new Date(start + i * 180_000).toISOString(), i * 10));
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

  it('the latest power, per phase, and when; "now" from the meter', () => {
    const rs = [at('2026-03-10T08:00:00Z', 1000, 300), { ...at('2026-03-10T09:00:00Z', 1300, 2100), phasesW: [1000, 600, 500] }];
    expect(latest(rs)).toEqual({ powerW: 2100, phasesW: [1000, 600, 500], lastAt: '2026-03-10T09:00:00Z' });
    expect(latest(rs.slice(0, 1)).phasesW).toBeNull();
    expect(latest([])).toEqual({ powerW: null, phasesW: null, lastAt: null });
    expect(meterNow(rs, 0)).toBe(Date.parse('2026-03-10T09:00:00Z'));
    expect(meterNow([], 42)).toBe(42);
  });
});
