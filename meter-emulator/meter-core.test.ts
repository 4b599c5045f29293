import { describe, expect, it } from 'vitest';
import { LinkReader, type LinkEvent } from '../bridge/index.js';
import { newMeterState, p256PublicKey, type Token } from '../protocol/index.js';
import { billMatchesTokens } from '../test/support/bill-check.js';
import { DEFAULT_TARIFF } from './household.js';
import { MeterCore } from './meter-core.js';
import type { MeterRecord } from './state-file.js';

const HOUR = 3_600_000;
const start = Date.UTC(2026, 0, 5); // a Monday
const key = (fill: number) => new Uint8Array(32).fill(fill);

function newCore(saves: MeterRecord[] = [], unitMicros = 200_000) {
  const record: MeterRecord = {
    state: newMeterState('METER-T', 4, 1, key(9)), setSecretKey: key(1), billSecretKey: key(2),
    clockMs: start, periodStartMs: start, sent: 0, sentPrevious: 0, billDue: false, importKwh: [0, 0], pricedSinceToken: 0, householdSeed: 42,
  };
  const core = new MeterCore(record, { periodMs: 24 * HOUR, unitMicros, tariff: DEFAULT_TARIFF, backend: undefined!, header: 'SIP5TEST' }, (r) => saves.push(structuredClone(r)));
  return core;
}
const keys = { setPublicKey: p256PublicKey(key(1)), billPublicKey: p256PublicKey(key(2)), meter: 'METER-T' };

/** Runs the meter hour by hour, one telegram per hour, into a bridge reader. */
function run(core: MeterCore, hours: number, reader: LinkReader, budget = 4000): LinkEvent[] {
  const events: LinkEvent[] = [];
  for (let h = 1; h <= hours; h++) {
    core.advance(start + h * HOUR);
    const { results, events: e } = reader.push(core.telegram(budget).bytes);
    expect(results.every((r) => r.ok)).toBe(true);
    events.push(...e);
  }
  return events;
}

describe('meter core', () => {
  it('a day of household use yields valid tokens, then a bill that matches them', () => {
    const core = newCore();
    const reader = new LinkReader({ keys });
    const events = run(core, 30, reader);
    const tokens = events.flatMap((e) => (e.kind === 'token' ? [e.token] : []));
    const bills = events.flatMap((e) => (e.kind === 'bill' ? [e.bill] : []));
    expect(bills).toHaveLength(1);
    expect(bills[0]!.count).toBeGreaterThan(10); // ~8 kWh a day at 0.2 a unit
    expect(billMatchesTokens(bills[0]!, tokens)).toBe(true);
    const readings = events.flatMap((e) => (e.kind === 'reading' ? [e.readings] : []));
    expect(readings.at(-1)!.importKwh.t1! + readings.at(-1)!.importKwh.t2!).toBeGreaterThan(5);
    expect(readings.at(-1)!.voltageV.l1).toBeGreaterThan(200);
  });

  it('persists before a token goes out, and the state stays the same size', () => {
    const saves: MeterRecord[] = [];
    const core = newCore(saves);
    core.advance(start + 6 * HOUR);
    const issued = core.record.state.current.count;
    expect(issued).toBeGreaterThan(0);
    expect(saves.at(-1)!.state.current.count).toBe(issued);
    // Numbers and hex may change their digits; nothing may be added as tokens are issued.
    const shape = (r: MeterRecord) => JSON.stringify({ ...r, state: { ...r.state, current: { ...r.state.current, sum: String(r.state.current.sum) }, previous: null } }).replace(/true|false/g, 'b').replace(/[0-9a-f.+-]+/g, '0');
    const early = shape(saves.at(-1)!);
    core.advance(start + 60 * HOUR);
    expect(core.record.state.current.count).toBeGreaterThan(issued);
    expect(shape(core.record)).toBe(early);
  });

  it('the carousel brings every token of both periods and the bill to a reader that heard nothing before', () => {
    const core = newCore();
    run(core, 36, new LinkReader({ keys })); // heard by nobody
    const late = new LinkReader({ keys });
    const events = run(core, 12, late, 9000);
    const tokens = events.flatMap((e) => (e.kind === 'token' ? [e.token] : []));
    const bill = events.find((e) => e.kind === 'bill');
    expect(bill?.kind).toBe('bill');
    if (bill?.kind !== 'bill') return;
    expect(billMatchesTokens(bill.bill, tokens)).toBe(true);
    const current = (t: Token) => t.period === core.record.state.period;
    expect(tokens.filter(current)).toHaveLength(core.record.state.current.count);
    expect(late.counters.tokensRepeated).toBeGreaterThan(0);
  });

  it('brings the newest tokens back within a few telegrams, long before the whole carousel', () => {
    const core = newCore([], 20_000);
    core.advance(start + 40 * HOUR); // a day and a half: the previous period full, the next one started
    const r = core.record;
    r.sent = r.state.current.count; // everything went out while the computer was off
    r.sentPrevious = r.state.previous!.count;
    r.billDue = false;
    const reader = new LinkReader({ keys });
    const events = Array.from({ length: 4 }, () => reader.push(core.telegram(10_368).bytes).events).flat();
    const got = new Set(events.flatMap((e) => (e.kind === 'token' ? [`${e.token.period}/${e.token.index}`] : [])));
    const newest = Array.from({ length: Math.min(32, r.sent) }, (_, k) => `${r.state.period}/${r.sent - 1 - k}`);
    const cycle = 1 + r.state.previous!.count + r.sent;
    expect(cycle).toBeGreaterThan(4 * 39); // the whole carousel does not fit in four telegrams
    expect(newest.filter((k) => !got.has(k))).toEqual([]);
  });
});
