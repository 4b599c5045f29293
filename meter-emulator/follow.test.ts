/**
 * Follow mode's core without I/O: the registers' increase × the tariff's price becomes exactly ⌊cost / unit⌋ tokens,
 * the fraction carries over, and a reading from another meter, with a register gone back, or after a gap longer than
 * the period is refused without changing anything.
 */
import { describe, expect, it } from 'vitest';
import { LinkReader } from '../bridge/index.js';
import { newMeterState, type Readings } from '../protocol/index.js';
import { followedReading, type FollowedReading } from './follow-check.js';
import { DEFAULT_TARIFF } from './household.js';
import { MeterCore } from './meter-core.js';
import type { MeterRecord } from './state-file.js';

const HOUR = 3_600_000;
const start = Date.UTC(2026, 0, 5, 10);
const key = (fill: number) => new Uint8Array(32).fill(fill);

function followCore(unitMicros = 100_000) {
  const saves: MeterRecord[] = [];
  const record: MeterRecord = {
    state: newMeterState('SIPSTER-F', 1, 1, key(9)), setSecretKey: key(1), billSecretKey: key(2),
    clockMs: start, periodStartMs: start, sent: 0, sentPrevious: 0, billDue: false, importKwh: [0, 0], pricedSinceToken: 0, householdSeed: 0,
    follow: { equipmentId: null },
  };
  const core = new MeterCore(record, { periodMs: 24 * HOUR, unitMicros, tariff: DEFAULT_TARIFF, backend: undefined!, header: 'SIP5TEST' }, (r) => saves.push(structuredClone(r)));
  return { core, saves };
}
const reading = (atMs: number, t1: number, t2: number, equipmentId = '4B384547303034303436333935353037'): FollowedReading =>
  ({ equipmentId, nowMs: atMs, importKwh: [t1, t2], tariff: 2, powerKw: 0.4 });

describe('follow mode (meter core)', () => {
  it('turns the registers\' increase × price into exactly ⌊cost / unit⌋ tokens and keeps the fraction', () => {
    const { core, saves } = followCore();
    expect(core.follow(reading(start + 1000, 1234.567, 4321.001))).toBeNull(); // the baseline: no tokens
    expect(core.record.state.current.count).toBe(0);
    // +1.234 kWh low (0.22) and +0.777 kWh normal (0.30): 0.27148 + 0.2331 = 0.50458 → 5 units of 0.10, 0.00458 left.
    expect(core.follow(reading(start + 60_000, 1234.9, 4321.5))).toBeNull();
    expect(core.follow(reading(start + 120_000, 1235.801, 4321.778))).toBeNull();
    expect(core.record.state.current.count).toBe(5);
    expect(core.record.pricedSinceToken).toBeCloseTo(4_580, 6);
    expect(saves.at(-1)).toMatchObject({ importKwh: [1235.801, 4321.778], pricedSinceToken: core.record.pricedSinceToken, follow: { equipmentId: '4B384547303034303436333935353037' } });
    // 0.09542 more complete a sixth unit, 0.0954 do not: the fraction was kept, to the micro-unit.
    expect(core.follow(reading(start + 180_000, 1235.801, 4322.096))).toBeNull(); // +0.318 × 0.30 = 0.0954
    expect(core.record.state.current.count).toBe(5);
    expect(core.follow(reading(start + 240_000, 1235.801, 4322.097))).toBeNull(); // +0.001 × 0.30
    expect(core.record.state.current.count).toBe(6);
  });

  it('sends the real registers, tariff and power in its telegrams', () => {
    const { core } = followCore();
    core.follow({ ...reading(start + 1000, 1234.567, 4321.001), tariff: 1, powerKw: 1.193, voltage: [229.1, 230.2, 231.3] });
    const { results } = new LinkReader().push(core.telegram(4000).bytes);
    expect(results[0]).toMatchObject({ ok: true, readings: { importKwh: { t1: 1234.567, t2: 4321.001 }, tariff: '0001', powerImportKw: 1.193, voltageV: { l1: 229.1 } } });
  });

  it('refuses another meter, a register gone back, time gone back and a gap longer than the period, changing nothing', () => {
    const { core, saves } = followCore();
    core.follow(reading(start + 1000, 100, 200));
    core.follow(reading(start + 2000, 100.5, 200));
    const before = structuredClone(core.record);
    const savesBefore = saves.length;
    expect(core.follow(reading(start + 3000, 101, 201, 'OTHER'))).toMatchObject({ code: 'other-meter', message: expect.stringMatching(/another meter/) });
    expect(core.follow(reading(start + 3000, 100.4, 201))).toMatchObject({ code: 'register-backwards', message: expect.stringMatching(/1-0:1\.8\.1 went backwards/) });
    expect(core.follow(reading(start + 3000, 101, 199.9))).toMatchObject({ code: 'register-backwards', message: expect.stringMatching(/1-0:1\.8\.2/) });
    expect(core.follow(reading(start + 1500, 101, 201))).toMatchObject({ code: 'time-backwards' });
    expect(core.follow(reading(start + 2000 + 24 * HOUR + 1, 101, 201))).toMatchObject({ code: 'gap', message: expect.stringMatching(/more than a billing period/) });
    expect(core.record).toEqual(before);
    expect(saves).toHaveLength(savesBefore);
    // A reading that continues the last accepted one prices everything since it.
    expect(core.follow(reading(start + 3000, 100.5, 200 + 1))).toBeNull(); // +1 kWh × 0.30 = 3 units
    expect(core.record.state.current.count).toBe(before.state.current.count + 3);
  });

  it('closes the period when a reading passes its end: the bill is due', () => {
    const { core } = followCore();
    core.follow(reading(start + 1000, 0, 0));
    core.follow(reading(start + 20 * HOUR, 0, 1));
    core.follow(reading(start + 25 * HOUR, 0, 1.5));
    expect(core.record.state.period).toBe(2);
    expect(core.record.billDue).toBe(true);
    expect(core.record.state.previous!.count).toBe(3 + 1); // the last increase was read in period 1
  });

  it('needs both import registers of the telegram', () => {
    const readings = { importKwh: { total: 5 }, voltageV: {}, header: 'X' } as unknown as Readings;
    expect(followedReading(readings, 0)).toMatchObject({ code: 'no-registers' });
  });
});
