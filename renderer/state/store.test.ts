import { describe, expect, it } from 'vitest';
import type { EngineEvent, EngineStatus, PeriodView } from '../../main/api/index.js';
import { currentPeriod, initialState, MAX_READINGS, reduce, type AppState } from './store.js';
import { LOW_STOCK, notesFor } from './notify.js';

const status: EngineStatus = {
  version: '0.1.0',
  dataDir: '/home/x/.sipster',
  proxy: { config: { kind: 'socks', host: '127.0.0.1', port: 9050, label: 'system-tor' }, state: 'working', anonymous: true, reason: null, tor: null },
  utility: { url: 'http://uc.example', state: 'reachable', fingerprint: 'ab'.repeat(32), pinnedAt: '2026-01-01T00:00:00Z', anonymitySets: [] },
  meter: { state: 'receiving', meter: 'demo', lastTelegramAt: '2026-01-01T00:00:00Z', source: { kind: 'demo' }, refused: { tokens: 0, bills: 0 } },
  wallet: { mintUrl: 'http://mint.example', balance: 40, stock: 30, reserved: 0, spent: 0, backedUp: true, topUpAmounts: [100, 200, 500], waitingTopUp: null },
  queue: { scheduled: 0, paying: 0, alarms: 0, blockedBy: null },
  recovery: null,
  storage: { state: 'ok', reason: null },
};
const period = (n: number): PeriodView => ({
  period: n, start: null, end: null, tokens: 3, paid: 1, queued: 2, alarms: 0, bill: { received: false, count: null, fault: false }, settlement: { kind: 'open' },
});
const ev = (s: AppState, event: EngineEvent) => reduce(s, { kind: 'event', event, at: 1000 });

describe('window state', () => {
  it('sorts periods newest first and clears the stale flag on load', () => {
    let s = ev(initialState, { kind: 'token-received', period: 2 });
    expect(s.periodsStale).toBe(true);
    s = reduce(s, { kind: 'loaded-periods', periods: [period(1), period(2)] });
    expect(s.periods.map((p) => p.period)).toEqual([2, 1]);
    expect(currentPeriod(s)?.period).toBe(2);
    expect(s.periodsStale).toBe(false);
    expect(s.session).toEqual({ received: 1 });
  });

  it('folds wallet, proxy and top-up progress into the status', () => {
    let s = reduce(initialState, { kind: 'loaded-status', status });
    s = ev(s, { kind: 'top-up', progress: { units: 10, state: 'minted', balance: 50, request: 'lnbcrt100n1x', expiry: null } });
    expect(s.status?.wallet.balance).toBe(50);
    expect(s.topUp?.state).toBe('minted');
    s = ev(s, { kind: 'proxy', proxy: { ...status.proxy, state: 'refused', reason: 'tor down' } });
    expect(s.status?.proxy.state).toBe('refused');
    expect(s.log.map((l) => l.text)).toEqual(['Top-up of 10 units: minted', 'Proxy refused']);
  });

  it('folds tor progress, the meter and a recovery into the status, and keeps the tariff', () => {
    let s = reduce(initialState, { kind: 'loaded-status', status });
    s = ev(s, { kind: 'tor', tor: { state: 'bootstrapping', progress: 45, summary: 'Loading relay descriptors' } });
    expect(s.status?.proxy.tor).toMatchObject({ progress: 45 });
    s = ev(s, { kind: 'meter', meter: { ...status.meter, state: 'disconnected' } });
    expect(s.status?.meter.state).toBe('disconnected');
    s = ev(s, { kind: 'recovery', recovery: { state: 'restored', proofs: 3, tokens: 1, receipts: 1, startedAt: 'a', finishedAt: 'b', message: null } });
    expect(s.status?.recovery?.state).toBe('restored');
    s = reduce(s, { kind: 'loaded-tariff', tariff: { currency: 'EUR', tokenValue: 0.1, perKWh: [0.3], source: 'user' } });
    expect(s.tariff?.tokenValue).toBe(0.1);
    expect(s.log.map((l) => l.text)).toEqual(['Meter disconnected', 'Wallet recovery: restored']);
  });

  it('marks a period settled or waiting from events', () => {
    let s = reduce(initialState, { kind: 'loaded-periods', periods: [period(1), period(2)] });
    s = ev(s, { kind: 'period-settled', period: 1, answer: 'paid in full' });
    expect(s.periods.find((p) => p.period === 1)?.settlement).toMatchObject({ kind: 'settled', answer: 'paid in full' });
    s = ev(s, { kind: 'settlement-waiting', period: 2, missingTokens: 0, missingReceipts: 2 });
    expect(s.periods.find((p) => p.period === 2)?.settlement).toEqual({ kind: 'waiting', missingTokens: 0, missingReceipts: 2 });
    s = reduce(s, { kind: 'loaded-settlement', period: 2, settlement: { kind: 'refused', at: 'x', reason: 'short' } });
    expect(s.periods.find((p) => p.period === 2)?.settlement.kind).toBe('refused');
    expect(s.periods).toHaveLength(2);
  });

  it('keeps alarms until dismissed and caps the readings', () => {
    let s = ev(initialState, { kind: 'alarm', code: 'receipt-invalid', message: 'bad receipt' });
    expect(s.alarms).toHaveLength(1);
    s = reduce(s, { kind: 'dismiss-alarms' });
    expect(s.alarms).toHaveLength(0);
    const many = Array.from({ length: MAX_READINGS + 5 }, (_, i) => ({ at: new Date(i * 1000).toISOString(), powerW: 1, energyWh: i, tariff: null }));
    s = reduce(s, { kind: 'loaded-readings', readings: many });
    expect(s.readings).toHaveLength(MAX_READINGS);
    s = ev(s, { kind: 'reading', reading: { at: 'x', powerW: 2, energyWh: 1e9, tariff: 1 } });
    expect(s.readings).toHaveLength(MAX_READINGS);
    expect(s.readings.at(-1)?.energyWh).toBe(1e9);
  });
});

describe('notifications', () => {
  it('wallet low fires once, on crossing the threshold', () => {
    const low = { ...status.wallet, stock: LOW_STOCK - 1 };
    expect(notesFor(status, { kind: 'wallet', wallet: low }).map((n) => n.tag)).toEqual(['wallet-low']);
    expect(notesFor({ ...status, wallet: low }, { kind: 'wallet', wallet: { ...low, stock: 2 } })).toEqual([]);
  });

  it('period settled and meter disconnected', () => {
    expect(notesFor(status, { kind: 'period-settled', period: 3, answer: 'ok' })[0]?.title).toBe('Period 3 settled');
    const unplugged = { ...status, meter: { ...status.meter, state: 'disconnected' as const } };
    expect(notesFor(status, { kind: 'status', status: unplugged }).map((n) => n.tag)).toEqual(['meter-disconnected']);
    expect(notesFor(unplugged, { kind: 'status', status: unplugged })).toEqual([]);
    expect(notesFor(status, { kind: 'meter', meter: unplugged.meter }).map((n) => n.tag)).toEqual(['meter-disconnected']);
    expect(notesFor(unplugged, { kind: 'meter', meter: unplugged.meter })).toEqual([]);
    expect(notesFor(status, { kind: 'token-paid', period: 1 })).toEqual([]);
  });
});
