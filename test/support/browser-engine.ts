/**
 * An in-memory EngineApi for testing the browser-mode host and the window's wiring without the real engine
 * (main/engine is built in parallel). Its numbers are plausible, not protocol: no tokens, receipts or coins exist.
 * `tick` advances it like a demo meter would, `unplug`/`replug` flip the meter.
 * @module
 */
import { EventEmitter } from 'node:events';
import type {
  EngineApi, EngineEvent, HistoryBucketView, HistoryQuery, EngineStatus, LogLine, PeriodView, ReadingView, RecoveryView, SerialPortView, SettlementView, TariffView, TorView,
} from '../../main/api/index.js';
import type { EngineHandle } from '../../main/host/browser/bridge.js';
import { bucketStart, historyCsv } from '../../main/engine/history/query.js';

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
  /** The wallet cannot be written (disk full or locked) or can again ('ok'). */
  storage(state: EngineStatus['storage']['state']): void;
  /** Payments wait on this error (e.g. 'uc-error', 'tor-not-ready'), or on nothing (null). */
  blockedBy(code: EngineStatus['queue']['blockedBy']): void;
  /** The managed tor (after setProxy managed, held at 45 %) finishes bootstrapping. */
  torReady(): void;
}

/** Ports as a machine with a P1 cable lists them: the FTDI one speaks P1. */
const PORTS: SerialPortView[] = [
  { path: '/dev/ttyS0', manufacturer: null, product: null, vendorId: null, productId: null, speaksP1: null, line: null },
  { path: '/dev/ttyUSB0', manufacturer: 'FTDI', product: 'P1 Converter Cable', vendorId: '0403', productId: '6001', speaksP1: null, line: null },
];
const FAKE_UC = 'http://127.0.0.1:1/uc';

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
    proxy: { config: { kind: 'socks', host: '127.0.0.1', port: 9050, label: 'demo-hop' }, state: 'working', anonymous: false, reason: null, tor: null },
    utility: { url: FAKE_UC, state: 'reachable', fingerprint: 'c0ffee'.repeat(10) + 'abcd', pinnedAt: new Date(now).toISOString(), anonymitySets: [] },
    meter: { state: 'receiving', meter: 'demo meter (emulator)', lastTelegramAt: null, source: { kind: 'demo' }, refused: { tokens: 0, bills: 0 } },
    wallet: { mintUrl: 'http://127.0.0.1:2/mint', balance: 200, stock: 200, reserved: 0, spent: 0, backedUp: opts.backedUp ?? false, topUpAmounts: [100, 200, 500], waitingTopUp: null },
    queue: { scheduled: 0, paying: 0, alarms: 0, blockedBy: null },
    recovery: null,
    storage: { state: 'ok', reason: null },
  };
  let tariff: TariffView = { currency: 'EUR', tokenValue: 0.1, perKWh: [0.22, 0.3], source: 'default' };
  const logs: LogLine[] = [{ at: new Date(now).toISOString(), level: 'info', message: 'engine started' }];
  const log = (message: string, level: LogLine['level'] = 'info') => logs.push({ at: new Date(now).toISOString(), level, message });
  const periods: PeriodView[] = [newPeriod(1)];
  function newPeriod(period: number): PeriodView {
    return { period, start: null, end: null, tokens: 0, paid: 0, queued: 0, alarms: 0, bill: { received: false, count: null, fault: false }, settlement: { kind: 'open' } };
  }
  const statusEvent = () => emit({ kind: 'status', status: structuredClone(status) });
  function setTor(tor: TorView): void {
    const ready = tor.state === 'ready';
    status.proxy = { ...status.proxy, tor, ...(ready ? { state: 'working' as const, reason: null } : { reason: `Tor is starting (${tor.progress} %): nothing is sent until it is ready.` }) };
    emit({ kind: 'tor', tor });
    if (ready) emit({ kind: 'proxy', proxy: structuredClone(status.proxy) });
  }
  const current = () => periods.at(-1)!;

  function tick(steps = 1): void {
    for (let i = 0; i < steps; i++) {
      now += stepMs;
      const hour = new Date(now).getUTCHours();
      const powerW = 250 + (hour >= 17 && hour <= 21 ? 1800 : 400) * (0.5 + ((i * 7919) % 100) / 100);
      const before = Math.floor(energyWh / 500);
      energyWh += (powerW * stepMs) / 3_600_000;
      const phasesW = [Math.round(powerW * 0.5), Math.round(powerW * 0.3), Math.round(powerW) - Math.round(powerW * 0.5) - Math.round(powerW * 0.3)];
      const reading = { at: new Date(now).toISOString(), powerW: Math.round(powerW), energyWh: Math.round(energyWh), tariff: hour >= 7 && hour < 23 ? 2 : 1, phasesW };
      readings.push(reading);
      status.meter.lastTelegramAt = reading.at;
      emit({ kind: 'reading', reading });
      // One token per 0.5 kWh, paid at once from the stock.
      for (let k = before; k < Math.floor(energyWh / 500); k++) {
        const p = current();
        p.start ??= reading.at;
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
      const invoice = { request: `lnbcrt${units}0n1pfakeinvoice`, expiry: Math.floor(Date.now() / 1000) + 3600 };
      emit({ kind: 'top-up', progress: { units, state: 'quoted', balance: status.wallet.balance, ...invoice } });
      emit({ kind: 'top-up', progress: { units, state: 'paid', balance: status.wallet.balance, ...invoice } });
      status.wallet.balance += units;
      status.wallet.stock += units;
      const done = { units, state: 'minted' as const, balance: status.wallet.balance, ...invoice };
      emit({ kind: 'top-up', progress: done });
      emit({ kind: 'wallet', wallet: { ...status.wallet } });
      return done;
    },
    // Receive and withdraw, plausibly: any cashu… text brings 8 units; any ln… invoice costs 10 with a fee reserve of 2, 1 of it spent.
    receiveToken: async (text) => {
      if (!/^cashu[AB]/.test(text.trim())) throw new FakeError('bad-request', 'not a Cashu token');
      status.wallet.balance += 8;
      emit({ kind: 'wallet', wallet: { ...status.wallet } });
      return { amount: 8, balance: status.wallet.balance };
    },
    quoteWithdraw: async (bolt11) => {
      if (!/^ln/i.test(bolt11.trim())) throw new FakeError('bad-request', 'not a Lightning invoice');
      return { quote: 'fake-melt-quote', amount: 10, feeReserve: 2, expiresAt: new Date(now + 3_600_000).toISOString(), balance: status.wallet.balance };
    },
    withdraw: async (quote) => {
      if (quote !== 'fake-melt-quote') throw new FakeError('not-found', 'no such quote');
      status.wallet.balance -= 11;
      emit({ kind: 'wallet', wallet: { ...status.wallet } });
      return { state: 'paid', amount: 10, feePaid: 1, change: 1, balance: status.wallet.balance };
    },
    setProxy: async (config) => {
      if (config.kind === 'managed') {
        // The engine's own tor bootstraps: progress comes as 'tor' events; it stays at 45 % until torReady().
        const starting: TorView = { state: 'starting', progress: 0, summary: 'Starting' };
        status.proxy = { config, state: 'untested', anonymous: true, reason: 'Tor is starting: nothing is sent until it is ready.', tor: starting };
        setTimeout(() => setTor({ state: 'bootstrapping', progress: 45, summary: 'Loading relay descriptors' }), 50);
        return structuredClone(status.proxy);
      }
      status.proxy = { config, state: config.kind === 'none' ? 'unconfigured' : 'working', anonymous: config.kind === 'socks' && config.label !== 'demo-hop', reason: null, tor: null };
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
    // The shape only: this fake holds no curve points (the real evidence is tested in main/engine/engine.int.test.ts).
    exportReceipts: async (n) => ({
      format: 'sipster-dispute-evidence', version: 1, utility: { A1: '', A2: '', fingerprint: '' }, set: { set: 1, tokenPublicKey: '' }, tokens: [],
      bill: { meter: 'M1', period: n, fault: false, R: '', sig: '', billPublicKey: null }, mask: '', combined: '', settlement: null,
    }),
    getReadings: async (since) => readings.filter((r) => since === null || r.at > since),
    getHistory: async (q) => fakeHistory(q, now),
    getHistorySamples: async () => [],
    getPowerProfile: async () => [],
    // A Belgian meter's demand values once readings come, the running quarter heading above the month's peak.
    getCapacity: async () => readings.length === 0 ? { monthPeak: null, quarter: null, headingAbovePeak: false } : {
      monthPeak: { kw: 3.2, at: new Date(now - 2 * 86_400_000).toISOString(), source: 'meter' as const },
      quarter: { start: new Date(Math.floor(now / 900_000) * 900_000).toISOString(), averageKw: 2.9, projectedKw: 3.6, source: 'meter' as const },
      headingAbovePeak: true,
    },
    exportHistoryCsv: async (q) => historyCsv(fakeHistory(q, now)),
    listPorts: async (probe) => PORTS.map((p) => ({ ...p, speaksP1: probe ? p.path === '/dev/ttyUSB0' : null, line: probe && p.path === '/dev/ttyUSB0' ? 'dsmr4' : null })),
    chooseMeter: async (choice) => {
      if (choice.kind === 'port' && !PORTS.some((p) => p.path === choice.path)) throw new FakeError('bad-request', 'no such port');
      if (choice.kind === 'port' && choice.dlms && !/^[0-9a-fA-F]{32}$/.test(choice.dlms.key)) throw new FakeError('bad-request', "the meter's key (GUEK) must be 32 hex digits");
      if (choice.kind === 'network' && !/^(tcp:\/\/[^/:]+:\d+|homewizard:\/\/[^/]+)$/.test(choice.address))
        throw new FakeError('bad-request', 'a network meter is tcp://HOST:PORT or homewizard://HOST[:PORT]');
      const source = choice.kind === 'port' ? { kind: 'port' as const, path: choice.path, line: choice.line ?? 'dsmr4', ...(choice.dlms ? { framing: choice.dlms.framing } : {}) } // keys are never shown back
        : choice.kind === 'network' ? { ...choice, line: choice.line ?? 'dsmr4' } : choice;
      status.meter = { ...status.meter, source, state: choice.kind === 'none' ? 'waiting' : 'receiving' };
      log(`meter source: ${source.kind === 'port' ? `port ${source.path}` : source.kind === 'network' ? `network ${source.address}` : source.kind}`);
      emit({ kind: 'meter', meter: { ...status.meter } });
      return { ...status.meter };
    },
    setUtility: async (url) => {
      if (!/^https?:\/\/[^@/]+/.test(url)) throw new FakeError('bad-request', 'the utility address must be an http:// or https:// address');
      status.utility = { ...status.utility, url, state: 'reachable' };
      log(`utility pinned: ${url}`);
      return { ...status.utility };
    },
    setMint: async (url) => {
      status.wallet.mintUrl = url ?? 'http://127.0.0.1:2/mint';
      return { ...status.wallet };
    },
    getTariff: async () => ({ ...tariff }),
    setTariff: async (t) => {
      if (!/^[A-Z]{3}$/i.test(t.currency) || !(t.tokenValue > 0) || t.perKWh.length === 0) throw new FakeError('bad-request', 'a tariff is a 3-letter currency, a token value above 0 and prices per kWh');
      tariff = { ...t, currency: t.currency.toUpperCase(), source: 'user' };
      return { ...tariff };
    },
    getLogs: async (limit) => logs.slice(-limit),
    restoreWallet: async (words) => {
      if (words.length !== 12) throw new FakeError('bad-request', 'a seed phrase has 12 words');
      const at = new Date(now).toISOString();
      const restoring: RecoveryView = { state: 'restoring', proofs: 0, tokens: 0, receipts: 0, startedAt: at, finishedAt: null, message: null };
      status.recovery = restoring;
      setTimeout(() => {
        status.recovery = { ...restoring, state: 'restored', proofs: 37, tokens: 4, receipts: 4, finishedAt: at };
        status.wallet = { ...status.wallet, backedUp: true };
        emit({ kind: 'recovery', recovery: { ...status.recovery } });
      }, 200);
      emit({ kind: 'recovery', recovery: restoring });
      return { ...restoring };
    },
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
      emit({ kind: 'meter', meter: { ...status.meter } });
    },
    replug() {
      status.meter.state = 'receiving';
      emit({ kind: 'meter', meter: { ...status.meter } });
    },
    storage(state) {
      status.storage = { state, reason: state === 'disk-full' ? 'The disk is full: nothing new is written until space is freed.' : state === 'locked' ? 'Another program holds the wallet file.' : null };
      statusEvent();
    },
    torReady: () => setTor({ state: 'ready', progress: 100, summary: 'Done' }),
    blockedBy(code) {
      status.queue.blockedBy = code;
      statusEvent();
    },
    endPeriod() {
      const p = current();
      p.end = new Date(now).toISOString();
      p.bill = { received: true, count: p.tokens, fault: false };
      emit({ kind: 'bill-received', period: p.period });
      periods.push(newPeriod(p.period + 1));
    },
  };
}

/**
 * A year of history before `nowMs`, hour by hour (a daily shape, solar export at midday, gas in the evening), summed
 * into the query's buckets as the engine does: plausible numbers, not a meter's.
 */
function fakeHistory(q: HistoryQuery, nowMs: number): HistoryBucketView[] {
  const hour = 3_600_000;
  const from = Math.max(q.from ? Date.parse(q.from) : -Infinity, nowMs - 365 * 24 * hour);
  const to = Math.min(q.to ? Date.parse(q.to) : Infinity, nowMs);
  const out = new Map<number, HistoryBucketView>();
  for (let t = Math.ceil(from / hour) * hour; t < to; t += hour) {
    const h = new Date(t).getUTCHours();
    const importKwh = Math.round((0.15 + (h >= 17 && h <= 21 ? 0.6 : h >= 7 ? 0.25 : 0) + ((t / hour) % 7) * 0.02) * 1000) / 1000;
    const exportKwh = h >= 10 && h <= 15 ? 0.4 : 0;
    const start = bucketStart(t, q.bucket);
    const b = out.get(start) ?? { start: new Date(start).toISOString(), importKwh: 0, exportKwh: 0, gasM3: 0, waterM3: null, costEstimate: 0, seriesBreaks: 0,
      importByRegister: { t1: 0, t2: 0, t3: 0, t4: 0, total: 0 }, exportByRegister: { t1: 0, t2: 0, t3: 0, t4: 0, total: 0 } };
    b.importKwh += importKwh;
    b.exportKwh += exportKwh;
    b.gasM3! += h >= 17 && h <= 22 ? 0.12 : 0.01;
    b.costEstimate! += importKwh * 0.25;
    out.set(start, b);
  }
  return [...out.values()];
}

