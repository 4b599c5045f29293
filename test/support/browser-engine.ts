/**
 * An in-memory EngineApi for testing the browser-mode host and the window's wiring without the real engine
 * (main/engine is built in parallel). Its numbers are plausible, not protocol: no tokens, receipts or coins exist.
 * `tick` advances it like a demo meter would, `unplug`/`replug` flip the meter.
 * @module
 */
import { EventEmitter } from 'node:events';
import type { EngineApi, EngineEvent, EngineStatus, PeriodView, ReadingView, SettlementView } from '../../main/api/index.js';
import type { EngineHandle } from '../../main/host/browser/bridge.js';

class FakeError extends Error {
  constructor(readonly code: 'seed-already-shown' | 'bad-request' | 'not-found', message: string) {
    super(message);
  }
}

export interface FakeEngine extends EngineHandle {
  tick(steps?: number): void;
  unplug(): void;
  replug(): void;
  endPeriod(): void;
}

const WORDS = 'abandon ability able about above absent absorb abstract absurd abuse access accident'.split(' ');

export function fakeEngine(opts: { readings?: number; backedUp?: boolean; start?: number } = {}): FakeEngine {
  const bus = new EventEmitter();
  const emit = (e: EngineEvent) => bus.emit('event', e);
  const stepMs = 180_000;
  let now = opts.start ?? Date.parse('2026-03-01T00:00:00Z');
  let energyWh = 1_000_000;
  let seedShown = false;
  const readings: ReadingView[] = [];
  const status: EngineStatus = {
    version: '0.1.0-test',
    dataDir: '/tmp/sipster-test',
    proxy: { config: { kind: 'socks', host: '127.0.0.1', port: 9050, label: 'demo-hop' }, state: 'working', anonymous: false, reason: null },
    utility: { url: 'http://127.0.0.1:1/uc', state: 'reachable', fingerprint: 'c0ffee'.repeat(10) + 'abcd', pinnedAt: new Date(now).toISOString() },
    meter: { state: 'receiving', meter: 'demo meter (emulator)', lastTelegramAt: null },
    wallet: { mintUrl: 'http://127.0.0.1:2/mint', balance: 200, stock: 200, reserved: 0, spent: 0, backedUp: opts.backedUp ?? false },
    queue: { scheduled: 0, paying: 0, alarms: 0, blockedBy: null },
  };
  const periods: PeriodView[] = [newPeriod(1)];
  function newPeriod(period: number): PeriodView {
    return { period, tokens: 0, paid: 0, queued: 0, alarms: 0, bill: { received: false, count: null, fault: false }, settlement: { kind: 'open' } };
  }
  const current = () => periods.at(-1)!;

  function tick(steps = 1): void {
    for (let i = 0; i < steps; i++) {
      now += stepMs;
      const hour = new Date(now).getUTCHours();
      const powerW = 250 + (hour >= 17 && hour <= 21 ? 1800 : 400) * (0.5 + ((i * 7919) % 100) / 100);
      const before = Math.floor(energyWh / 500);
      energyWh += (powerW * stepMs) / 3_600_000;
      const reading = { at: new Date(now).toISOString(), powerW: Math.round(powerW), energyWh: Math.round(energyWh) };
      readings.push(reading);
      status.meter.lastTelegramAt = reading.at;
      emit({ kind: 'reading', reading });
      // One token per 0.5 kWh, paid at once from the stock.
      for (let k = before; k < Math.floor(energyWh / 500); k++) {
        const p = current();
        p.tokens++;
        p.paid++;
        status.wallet.stock--;
        status.wallet.balance--;
        status.wallet.spent++;
        emit({ kind: 'token-received', period: p.period });
        emit({ kind: 'token-paid', period: p.period });
      }
    }
  }

  const api: EngineApi = {
    getStatus: async () => structuredClone(status),
    getWallet: async () => ({ ...status.wallet }),
    takeSeedPhrase: async () => {
      if (seedShown) throw new FakeError('seed-already-shown', 'the recovery phrase was already shown');
      seedShown = true;
      return { words: [...WORDS] };
    },
    confirmBackup: async () => {
      status.wallet.backedUp = true;
      return { ...status.wallet };
    },
    topUp: async (units) => {
      if (!Number.isSafeInteger(units) || units <= 0) throw new FakeError('bad-request', 'units must be a positive integer');
      emit({ kind: 'top-up', progress: { units, state: 'quoted', balance: status.wallet.balance } });
      emit({ kind: 'top-up', progress: { units, state: 'paid', balance: status.wallet.balance } });
      status.wallet.balance += units;
      status.wallet.stock += units;
      const done = { units, state: 'minted' as const, balance: status.wallet.balance };
      emit({ kind: 'top-up', progress: done });
      emit({ kind: 'wallet', wallet: { ...status.wallet } });
      return done;
    },
    setProxy: async (config) => {
      status.proxy = { config, state: config.kind === 'none' ? 'unconfigured' : 'working', anonymous: config.kind === 'socks' && config.label !== 'demo-hop', reason: null };
      return { ...status.proxy };
    },
    listPeriods: async () => structuredClone(periods),
    getPeriod: async (n) => {
      const p = periods.find((x) => x.period === n);
      if (p === undefined) throw new FakeError('not-found', 'no such period');
      return structuredClone(p);
    },
    settle: async (n) => {
      const p = periods.find((x) => x.period === n);
      if (p === undefined) throw new FakeError('not-found', 'no such period');
      const s: SettlementView = !p.bill.received
        ? { kind: 'waiting', missingTokens: 0, missingReceipts: 0 }
        : { kind: 'settled', at: new Date(now).toISOString(), answer: 'paid in full' };
      p.settlement = s;
      if (s.kind === 'settled') emit({ kind: 'period-settled', period: n, answer: s.answer });
      return s;
    },
    retryAlarms: async () => ({ ...status.queue }),
    exportReceipts: async (n) => ({ period: n, set: 1, A1: '00', A2: '00', items: [] }),
    getReadings: async (since) => readings.filter((r) => since === null || r.at > since),
  };

  tick(opts.readings ?? 0);
  return {
    api,
    onEvent(listener) {
      bus.on('event', listener);
      return () => bus.off('event', listener);
    },
    toApiError: (e) => (e instanceof FakeError ? { code: e.code, message: e.message } : { code: 'internal', message: 'internal error' }),
    tick,
    unplug() {
      status.meter.state = 'disconnected';
      emit({ kind: 'status', status: structuredClone(status) });
    },
    replug() {
      status.meter.state = 'receiving';
      emit({ kind: 'status', status: structuredClone(status) });
    },
    endPeriod() {
      const p = current();
      p.bill = { received: true, count: p.tokens, fault: false };
      emit({ kind: 'bill-received', period: p.period });
      periods.push(newPeriod(p.period + 1));
    },
  };
}
