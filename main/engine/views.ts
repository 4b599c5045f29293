/**
 * The API's plain-JSON views, built from the wallet and the engine's state (main/api shapes).
 * @module
 */
import type { Readings } from '../../protocol/index.js';
import type {
  MeterView, PeriodView, ProxyConfig, ProxyView, QueueView, ReadingView, TorView, UtilityView, WalletView,
} from '../api/index.js';
import { topUpAmounts, waitingTopUp } from './cashu/index.js';
import { EngineError } from './errors.js';
import { settlementView } from './settle/index.js';
import { type Db, billOf, coinCounts, countTokens, getMeta, periodTimes, pinnedUtility, tokensOfPeriod } from './wallet/index.js';

const REASONS: Record<ProxyView['state'], string | null> = {
  unconfigured: 'No SOCKS proxy is set: nothing is sent until one is (Tor: port 9050, Tor Browser: 9150).',
  untested: null,
  working: null,
  refused: 'The SOCKS proxy does not answer: payments wait, nothing is sent without it.',
};

/**
 * The proxy as the window shows it. For `managed` the engine's own tor decides: until it is ready the proxy is not
 * usable (nothing is sent) and the reason says how far tor is, in plain words.
 */
export function proxyView(config: ProxyConfig, state: ProxyView['state'], tor: TorView | null = null): ProxyView {
  if (config.kind === 'managed') {
    const t = tor ?? { state: 'starting', progress: 0, summary: null };
    const s = t.state === 'ready' ? state : t.state === 'failed' ? 'refused' : 'untested';
    return { config, state: s, anonymous: true, reason: t.state === 'ready' ? REASONS[s] : torReason(t), tor: t };
  }
  const s = config.kind === 'none' ? 'unconfigured' : state;
  const demo = config.kind === 'socks' && config.label === 'demo-hop';
  return {
    config,
    state: s,
    anonymous: config.kind === 'socks' && !demo,
    reason: REASONS[s] ?? (demo ? 'The demo route is a plain local hop, not Tor: this demo is not anonymous.' : null),
    tor: null,
  };
}

function torReason(t: TorView): string {
  const wait = 'nothing is sent until it is ready';
  switch (t.state) {
    case 'starting': return `Tor is starting: ${wait}.`;
    case 'bootstrapping': return `Tor is starting (${t.progress} %): ${wait}.`;
    case 'restarting': return `Tor stopped and is starting again: ${wait}.`;
    case 'failed': return `Tor could not start (${t.summary ?? 'no reason given'}); it tries again: ${wait}.`;
    case 'stopped': return 'Tor is stopped: nothing is sent.';
    case 'ready': return '';
  }
}

export const utilityView = (url: string, state: UtilityView['state'], fingerprint: string | null, pinnedAt: string | null, anonymitySets: UtilityView['anonymitySets']): UtilityView =>
  ({ url, state, fingerprint, pinnedAt, anonymitySets });

/** `policyUnits`: the timing policy's fixed top-up amount (EngineOptions.topUp), when one is set. */
export function walletView(db: Db, mintUrl: string, policyUnits?: number): WalletView {
  const c = coinCounts(db);
  return {
    mintUrl, balance: c.balance, stock: c.stock, reserved: c.reserved, spent: c.spent, backedUp: getMeta(db, 'backed-up') !== null,
    topUpAmounts: topUpAmounts(policyUnits), waitingTopUp: waitingTopUp(db),
  };
}

export function queueView(db: Db, blockedBy: QueueView['blockedBy']): QueueView {
  const t = countTokens(db);
  return { scheduled: t.scheduled + t.received, paying: t.paying, alarms: t.alarm, blockedBy };
}

export function periodView(db: Db, period: number): PeriodView {
  const t = countTokens(db, period);
  const bill = billOf(db, period);
  return {
    period,
    ...periodTimes(db, period),
    tokens: Object.values(t).reduce((a, b) => a + b, 0),
    paid: t.receipted + t.settled,
    queued: t.received + t.scheduled + t.paying,
    alarms: t.alarm,
    bill: { received: bill !== null, count: bill?.count ?? null, fault: bill?.fault ?? false },
    settlement: settlementView(db, period),
  };
}

export function listPeriodViews(db: Db): PeriodView[] {
  const periods = db.prepare('SELECT period FROM tokens UNION SELECT period FROM bills ORDER BY period').all() as { period: number }[];
  return periods.map((p) => periodView(db, p.period));
}

/**
 * A telegram's readings as the window shows them; they stay on this computer. `at` is the meter's own time stamp
 * (0-0:1.0.0; accelerated in the demo), or the time it arrived when the telegram has none; `tariff` is the
 * tariff indicator 0-0:96.14.0 (1-based register number).
 */
export function readingView(r: Readings, arrivedAt = new Date().toISOString()): ReadingView {
  const kwh = r.importKwh.total ?? (r.importKwh.t1 ?? 0) + (r.importKwh.t2 ?? 0);
  const tariff = r.tariff === undefined ? NaN : Number(r.tariff);
  const p = r.powerImportKwPhases;
  const phasesW = [p.l1, p.l2, p.l3].map((kw) => (kw === undefined ? null : Math.round(kw * 1000)));
  return {
    at: r.timestamp?.utc ?? arrivedAt, powerW: Math.round((r.powerImportKw ?? 0) * 1000), energyWh: Math.round(kwh * 1000),
    tariff: Number.isInteger(tariff) && tariff >= 1 && tariff <= 4 ? tariff : null,
    ...(phasesW.some((w) => w !== null) ? { phasesW } : {}),
  };
}

const READINGS_KEPT = 20_000;

/** What the meter link last did, and its recent readings (kept in memory only). */
export class MeterState {
  private state: MeterView['state'] = 'waiting';
  private meter: string | null = null;
  private last: string | null = null;
  private source: MeterView['source'] = { kind: 'none' };
  private readonly readings: ReadingView[] = [];

  /** Another source was chosen: nothing heard from it yet. */
  use(source: MeterView['source']): void {
    this.source = source;
    this.state = 'waiting';
    this.meter = null;
  }

  reading(r: ReadingView): ReadingView {
    this.readings.push(r);
    if (this.readings.length > READINGS_KEPT) this.readings.splice(0, this.readings.length - READINGS_KEPT);
    return r;
  }

  readingsSince(since: string | null): ReadingView[] {
    return since === null ? [...this.readings] : this.readings.filter((r) => r.at > since);
  }

  /** @returns true when the state changed (the engine then says so at once). */
  telegram(meter: string | null): boolean {
    const changed = this.state !== 'receiving' || (meter !== null && meter !== this.meter);
    this.state = 'receiving';
    this.last = new Date().toISOString();
    if (meter) this.meter = meter;
    return changed;
  }

  /** @returns true when the state changed: connected and silent is 'waiting', unplugged is 'disconnected'. */
  linkStatus(connected: boolean): boolean {
    const next = connected ? (this.state === 'disconnected' ? 'waiting' : this.state) : 'disconnected';
    const changed = next !== this.state;
    this.state = next;
    return changed;
  }

  view(): Omit<MeterView, 'refused'> {
    return { state: this.state, meter: this.meter, lastTelegramAt: this.last, source: this.source };
  }
}
