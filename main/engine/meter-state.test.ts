import { describe, expect, it } from 'vitest';
import type { Readings } from '../../protocol/index.js';
import { MeterState, readingView } from './views.js';

const readings = (extra: Partial<Readings>): Readings => ({
  header: 'XMX5', importKwh: { t1: 1.5, t2: 2.25 }, exportKwh: {}, voltageV: {}, currentA: {}, powerImportKwPhases: {}, powerExportKwPhases: {},
  powerFailureLog: [], mbus: [], objects: 4, powerImportKw: 0.42, ...extra,
});

describe('meter state and readings', () => {
  it("reads the telegram's own time stamp and tariff register, else the arrival time and no register", () => {
    expect(readingView(readings({ timestamp: { raw: '260105120000W', utc: '2026-01-05T11:00:00Z' }, tariff: '0002' }), 'arrived'))
      .toEqual({ at: '2026-01-05T11:00:00Z', powerW: 420, energyWh: 3750, tariff: 2 });
    expect(readingView(readings({ timestamp: { raw: '000000000000W', utc: null }, tariff: 'x' }), 'arrived'))
      .toMatchObject({ at: 'arrived', tariff: null });
    expect(readingView(readings({ tariff: '7' }), 'arrived').tariff).toBeNull();
    expect(readingView(readings({ powerImportKwPhases: { l1: 0.2, l3: 0.22 } }), 'arrived').phasesW).toEqual([200, null, 220]);
  });

  it('says when the link or its data changed, once per change', () => {
    const m = new MeterState();
    m.use({ kind: 'port', path: '/dev/ttyUSB0', line: 'dsmr4' });
    expect(m.view()).toMatchObject({ state: 'waiting', source: { kind: 'port', path: '/dev/ttyUSB0', line: 'dsmr4' } });
    expect(m.linkStatus(true)).toBe(false); // open and silent: still waiting
    expect(m.telegram(null)).toBe(true);
    expect(m.telegram(null)).toBe(false);
    expect(m.telegram('M-1')).toBe(true); // the meter named itself
    expect(m.linkStatus(false)).toBe(true);
    expect(m.view().state).toBe('disconnected');
    expect(m.linkStatus(false)).toBe(false);
    expect(m.linkStatus(true)).toBe(true);
    expect(m.view().state).toBe('waiting');
    m.use({ kind: 'none' });
    expect(m.view()).toMatchObject({ state: 'waiting', meter: null, source: { kind: 'none' } });
  });
});
