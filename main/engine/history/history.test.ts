import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { householdReadings } from '../../../test/support/household-readings.js';
import { BATCH, FULL_RESOLUTION_S, History, LATEST_VERSION, MIGRATIONS, migrate, openHistoryDb } from './index.js';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const arrived = '2000-01-01T00:00:00Z'; // never used: every telegram here has its own time stamp
const PRICES = [0.2, 0.3];

function tmpFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-history-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'history.sqlite');
}

const memory = () => new History(openHistoryDb(':memory:'));
const sumOf = (h: History, table: string, column: string) =>
  (h.db.prepare(`SELECT COALESCE(SUM(${column}), 0) AS n FROM ${table}`).get() as { n: number }).n;

/** What the aggregates must hold: per register, the sum over its series of last minus first. */
function seriesSums(values: number[]): { sum: number; breaks: number } {
  let sum = 0;
  let breaks = 0;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! >= values[i - 1]!) sum += values[i]! - values[i - 1]!;
    else breaks++;
  }
  return { sum, breaks };
}

const step = fc.record({
  dt: fc.integer({ min: 1, max: 4000 }),
  use: fc.tuple(fc.nat(5000), fc.nat(5000), fc.nat(800)),
  reset: fc.option(fc.nat(3), { nil: null, freq: 12 }), // which register a meter swap puts back (3: gas)
  flush: fc.boolean(),
});

describe('energy history', () => {
  it('aggregates are exact: buckets of every size sum to the register differences, across series breaks (property)', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), (steps) => {
      const h = memory();
      let t = T0;
      const regs = [50_000_000, 20_000_000, 1_000];
      let gas = 4_000_000;
      const seen: number[][] = [[], [], [], []];
      for (const s of steps) {
        t += s.dt;
        regs[0]! += s.use[0];
        regs[1]! += s.use[1];
        regs[2]! += s.use[2];
        gas += s.use[0] >> 4;
        if (s.reset !== null && s.reset < 3) regs[s.reset] = s.use[s.reset]!;
        if (s.reset === 3) gas = s.use[0];
        [...regs, gas].forEach((x, i) => seen[i]!.push(x));
        h.add(householdReadings(t, { import: [regs[0]!, regs[1]!], export: [regs[2]!, 0], gas: { t, litres: gas } }), arrived);
        if (s.flush) h.flush();
      }
      h.flush();
      const expected = seen.map(seriesSums);
      const breaks = expected.reduce((a, e) => a + e.breaks, 0);
      for (const table of ['agg_5min', 'agg_15min', 'agg_hour']) {
        expect([sumOf(h, table, 'import1'), sumOf(h, table, 'import2'), sumOf(h, table, 'export1'), sumOf(h, table, 'gas')])
          .toEqual(expected.map((e) => e.sum));
        expect(sumOf(h, table, 'breaks')).toBe(breaks);
      }
      for (const bucket of ['hour', 'day', 'week', 'month', 'year'] as const) {
        const buckets = h.buckets({ bucket }, PRICES);
        for (const b of buckets) expect(b.importKwh).toBeGreaterThanOrEqual(0);
        const wh = (f: (b: (typeof buckets)[number]) => number) => Math.round(buckets.reduce((a, b) => a + f(b), 0) * 1000);
        expect(wh((b) => b.importKwh)).toBe(expected[0]!.sum + expected[1]!.sum);
        expect(wh((b) => b.importByRegister.t2)).toBe(expected[1]!.sum);
        expect(wh((b) => b.exportKwh)).toBe(expected[2]!.sum);
        expect(wh((b) => b.gasM3!)).toBe(expected[3]!.sum);
        expect(buckets.reduce((a, b) => a + b.seriesBreaks, 0)).toBe(breaks);
      }
      h.close();
    }), { numRuns: 60 });
  });

  it('a register that goes backwards starts a new series: shown as a break, never as negative use', () => {
    const h = memory();
    h.add(householdReadings(T0, { import: [10_000, 5_000] }), arrived);
    h.add(householdReadings(T0 + 10, { import: [10_500, 5_000] }), arrived);
    h.add(householdReadings(T0 + 20, { import: [3, 0] }), arrived); // a new meter
    h.add(householdReadings(T0 + 30, { import: [103, 0] }), arrived);
    const [hour] = h.buckets({ bucket: 'hour' }, PRICES);
    expect(hour).toMatchObject({ start: '2026-01-01T00:00:00.000Z', importKwh: 0.6, seriesBreaks: 2, costEstimate: 0.12, gasM3: null, waterM3: null });
    h.close();
  });

  it('keeps telegrams 10 days and 5-minute buckets 2 years, hours for ever; pruning changes no total', () => {
    const h = memory();
    const days = 12;
    for (let t = T0, kwh = 0; t <= T0 + days * 86_400; t += 30, kwh += 7) h.add(householdReadings(t, { import: [kwh, 0] }), arrived);
    h.flush();
    const first = (h.db.prepare('SELECT MIN(t) AS t FROM samples').get() as { t: number }).t;
    expect(first).toBeGreaterThanOrEqual(T0 + days * 86_400 - FULL_RESOLUTION_S - 3_600 - 60);
    expect(first).toBeLessThanOrEqual(T0 + days * 86_400 - FULL_RESOLUTION_S);
    const total = 7 * (days * 86_400 / 30);
    expect(sumOf(h, 'agg_5min', 'import1')).toBe(total);
    expect(sumOf(h, 'agg_hour', 'import1')).toBe(total);
    const firstMinute = (h.db.prepare('SELECT MIN(start) AS t FROM minutes').get() as { t: number }).t;
    expect(firstMinute).toBe(first); // minutes go with their telegrams
    // The samples left decode from their minute's keyframe: a day at full resolution.
    const day = h.samples(new Date((T0 + 11 * 86_400) * 1000).toISOString(), new Date((T0 + 12 * 86_400) * 1000).toISOString());
    expect(day).toHaveLength(86_400 / 30);
    expect(day[0]).toMatchObject({ importWh: 7 * (11 * 86_400 / 30), voltageV: [230, 230, 230], tariff: 1 });
    // Two years on, the 5-minute buckets of then are gone and the hours stay.
    h.add(householdReadings(T0 + 800 * 86_400, { import: [total + 1, 0] }), arrived);
    h.flush();
    expect(sumOf(h, 'agg_5min', 'import1')).toBe(1);
    expect(sumOf(h, 'agg_hour', 'import1')).toBe(total + 1);
    h.close();
  });

  it('a restart mid-batch loses only the batch not yet written, and continues the same series', () => {
    const file = tmpFile();
    const first = History.open(file);
    for (let i = 0; i < BATCH + 40; i++) first.add(householdReadings(T0 + i, { import: [1_000 + i, 0], powerW: 3_600 }), arrived);
    first.db.close(); // the process dies: the last 40 telegrams were only in memory
    const again = History.open(file);
    expect((again.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n).toBe(BATCH);
    for (let i = BATCH + 40; i < BATCH + 100; i++) again.add(householdReadings(T0 + i, { import: [1_000 + i, 0], powerW: 3_600 }), arrived);
    const buckets = again.buckets({ bucket: 'day' }, PRICES);
    expect(buckets).toHaveLength(1);
    expect(buckets[0]).toMatchObject({ importKwh: (BATCH + 99) / 1000, seriesBreaks: 0 });
    const samples = again.samples(new Date(T0 * 1000).toISOString(), new Date((T0 + 3600) * 1000).toISOString());
    expect(samples.map((s) => s.importWh)).toEqual([...Array.from({ length: BATCH }, (_, i) => 1_000 + i), ...Array.from({ length: 60 }, (_, i) => 1_000 + BATCH + 40 + i)]);
    again.close();
  });

  it('is its own file, 0600, WAL, and keeps what was written across a reopen', () => {
    const file = tmpFile();
    const h = History.open(file);
    h.add(householdReadings(T0, { import: [1, 2] }), arrived);
    h.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = openHistoryDb(file);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((again.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n).toBe(1);
    again.close();
  });

  it('sets a damaged file aside and starts again', () => {
    const file = tmpFile();
    writeFileSync(file, 'not a database, but long enough for SQLite to read a header from it '.repeat(20));
    const h = History.open(file);
    expect(h.buckets({ bucket: 'day' }, PRICES)).toEqual([]);
    h.close();
  });

  it('is encrypted under the key as a whole, and a history kept in clear is encrypted in place', () => {
    const key = new Uint8Array(32).fill(7);
    const file = tmpFile();
    const clear = History.open(file); // as an earlier version kept it
    clear.add(householdReadings(T0, { import: [0, 0] }), arrived);
    clear.add(householdReadings(T0 + 60, { import: [1_000, 0] }), arrived);
    clear.close();
    expect(readFileSync(file).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');

    const h = History.open(file, key);
    expect(h.buckets({ bucket: 'day' }, PRICES)[0]).toMatchObject({ importKwh: 1 });
    h.close();
    expect(readFileSync(file).includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(() => openHistoryDb(file, new Uint8Array(32).fill(8))).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
  });

  it('summarises power per minute: least, mean, most of each value and the last registers, across batches (property)', () => {
    const watts = fc.record({ power: fc.nat(9_000), exported: fc.nat(3_000), l1: fc.nat(4_000) });
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), watts, fc.boolean()), { minLength: 1, maxLength: 200 }), (steps) => {
      const h = memory();
      let t = T0;
      let wh = 1_000;
      for (const [dt, w, flush] of steps) {
        t += dt;
        wh += w.power;
        h.add(householdReadings(t, { import: [wh, 7], export: [3, 0], powerW: w.power, exportW: w.exported, phasesW: [w.l1, 0, 0], tariff: 2 }), arrived);
        if (flush) h.flush();
      }
      const iso = (s: number) => new Date(s * 1000).toISOString();
      const samples = h.samples(iso(T0), iso(t + 1));
      const profile = h.powerProfile(iso(T0), iso(t + 1));
      const byMinute = new Map<number, typeof samples>();
      for (const s of samples) {
        const minute = Math.floor(Date.parse(s.at) / 60_000) * 60_000;
        byMinute.set(minute, [...(byMinute.get(minute) ?? []), s]);
      }
      expect(profile.map((m) => Date.parse(m.start))).toEqual([...byMinute.keys()]);
      for (const m of profile) {
        const inMinute = byMinute.get(Date.parse(m.start))!;
        const of = (f: (s: (typeof samples)[number]) => number) => {
          const v = inMinute.map(f);
          return { min: Math.min(...v), mean: Math.round(v.reduce((a, b) => a + b, 0) / v.length), max: Math.max(...v) };
        };
        expect(m.powerW).toEqual(of((s) => s.powerW!));
        expect(m.exportPowerW).toEqual(of((s) => s.exportPowerW!));
        expect(m.phasePowerW[0]).toEqual(of((s) => s.phasePowerW[0]!));
        expect(m).toMatchObject({ importWh: inMinute.at(-1)!.importWh, exportWh: 3, tariff: 2 });
      }
      h.close();
    }), { numRuns: 40 });
  });

  it('answers a bad query with bad-request and its reason', () => {
    const h = memory();
    expect(() => h.buckets({ bucket: 'fortnight' }, PRICES)).toThrow(/bucket is one of hour, day, week, month, year/);
    expect(() => h.buckets({ bucket: 'day', from: 'yesterday' }, PRICES)).toThrow(/from is an ISO time/);
    expect(() => h.buckets({ bucket: 'day', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, PRICES)).toThrow(/before/);
    expect(() => h.samples('2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z')).toThrow(expect.objectContaining({ code: 'bad-request' }));
    expect(() => h.powerProfile('2026-01-01T00:00:00Z', '2026-01-12T00:00:00Z')).toThrow(/at most 10 days apart/);
    expect(() => h.powerProfile('2026-01-01T00:00:00Z', null)).toThrow(expect.objectContaining({ code: 'bad-request' }));
    h.close();
  });

  it('prices import per tariff register and writes CSV with one line per bucket', () => {
    const h = memory();
    h.add(householdReadings(T0, { import: [0, 0] }), arrived);
    h.add(householdReadings(T0 + 4000, { import: [1_000, 2_000] }), arrived);
    expect(h.buckets({ bucket: 'hour' }, PRICES)[0]).toMatchObject({ importKwh: 3, costEstimate: 0.8 });
    expect(h.buckets({ bucket: 'hour' }, [0.2])[0]!.costEstimate).toBeNull(); // no price for tariff 2
    expect(h.csv({ bucket: 'day' }, PRICES).split('\n')).toEqual([
      'start,import_kwh,export_kwh,import_t1_kwh,import_t2_kwh,import_t3_kwh,import_t4_kwh,import_total_kwh,export_t1_kwh,export_t2_kwh,export_t3_kwh,export_t4_kwh,export_total_kwh,gas_m3,water_m3,cost_estimate,series_breaks',
      `${new Date(new Date(T0 * 1000).setHours(0, 0, 0, 0)).toISOString()},3,0,1,2,0,0,0,0,0,0,0,0,,,0.8,0`,
      '',
    ]);
    h.close();
  });
});

describe('history migrations', () => {
  it('go in steps of 10; 0010 makes the tables, 0020 the minutes, 0030 the quarter-hours; running them twice changes nothing', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => (i + 1) * 10));
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['agg_15min', 'agg_5min', 'agg_hour', 'failure_counts', 'mbus', 'meta', 'minutes', 'power_failures', 'samples']);
    db.close();
  });

  it('0030 fills the quarter-hours from the 5-minute aggregates already kept, and says from when', () => {
    const db = new Database(':memory:');
    migrate(db, 20);
    const insert = db.prepare('INSERT INTO agg_5min (start, import1, gas, breaks) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 7; i++) insert.run(T0 + i * 300, 10 + i, i, i === 4 ? 1 : 0);
    db.prepare('INSERT INTO agg_hour (start, import1) VALUES (?, 5), (?, 133)').run(T0 - 3600, T0); // one hour older than the 5-minute rows
    migrate(db);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'quarter-hours-from'").get()).toEqual({ value: String(T0) });
    expect(db.prepare('SELECT start, import1, gas, breaks FROM agg_15min ORDER BY start').all()).toEqual([
      { start: T0, import1: 10 + 11 + 12, gas: 3, breaks: 0 },
      { start: T0 + 900, import1: 13 + 14 + 15, gas: 12, breaks: 1 },
      { start: T0 + 1800, import1: 16, gas: 6, breaks: 0 },
    ]);
    db.close();
  });

  it("refuse a history from the future with 'db-from-future', untouched", () => {
    const file = tmpFile();
    const future = new Database(file);
    future.pragma(`user_version = ${LATEST_VERSION + 10}`);
    future.close();
    expect(() => History.open(file)).toThrow(expect.objectContaining({ code: 'db-from-future' }));
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 10);
    check.close();
  });
});
