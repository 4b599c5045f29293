/**
 * The home engine (architecture.md §A token's path): stores what the bridge delivers, schedules and pays tokens
 * through the SOCKS route, verifies receipts, settles periods, keeps the e-cash, and answers the typed API.
 * One timer drives the work; each round is awaited before the next, so nothing runs twice at once.
 * @module
 */
import { join } from 'node:path';
import type { LinkEvent } from '../../bridge/index.js';
import { type ReceiptCheckPool, fastestBackend, receiptCheckPool } from '../../curve-backends/index.js';
import type { CurveBackend } from '../../protocol/index.js';
import type {
  EngineApi, EngineEvent, EngineStatus, LogLine, MeterChoice, MeterView, PeriodView, ProxyConfig, ProxyView, QueueView, ReadingView, PeriodEvidence, RecoveryView,
  ReceiveView, SeedPhraseView, SerialPortView, HistoryBucketView, HistoryQuery, HistorySampleView, PowerMinuteView, CapacityView, SettlementView, TariffView, TopUpView, TorView, UtilityView, WalletView,
  WithdrawQuoteView, WithdrawView, LockView,
} from '../api/index.js';
import {
  checkBaseUrl, checkMeterChoice, chooseMint, chosenMint, noteUtilityTariff, portViews, readMeterChoice, readTariff, switchUtility, writeMeterChoice, writeTariff,
} from './choices.js';
import { MeterLink } from './meter-link.js';
import { MeterTrust } from './meter-trust.js';
import { EcashWallet, TopUpFollower, ensureSeedPhrase, openTopUps, quoteWithdraw, receiveEcash, takeSeedPhrase, withdraw } from './cashu/index.js';
import { EngineError, type EngineErrorCode, apiErrorCode, storageError } from './errors.js';
import type { Engine, EngineOptions } from './engine-types.js';
import { type Logger, createLogger, keepRecent } from './log.js';
import { getMeterBillKey, payPaced } from './pay/index.js';
import type { SocksRoute } from './route/index.js';
import { settleIfReady, settlementView } from './settle/index.js';
import { readProxy, requireUcUrl, routeOf, writeProxy } from './settings.js';
import { StorageGuard, lockDataFolder } from './storage.js';
import { PaymentTiming } from './timing/index.js';
import { ManagedTor } from './tor/index.js';
import { periodEvidence } from './export/index.js';
import { anonymitySets, fetchAndPin } from './utility-contact.js';
import {
  MeterState, listPeriodViews, periodView, proxyView, queueView, readingView, utilityView, walletView,
} from './views.js';
import {
  type Db, billPeriods, checkInvariants, coinCounts, coinsChecked, coinsToCheck, getMeta, keyFingerprint, notePeriodEnd, notePeriodStart, pinnedUtility,
  receiveBill, receiveToken, retryAlarm, scheduleToken, setMeta, tokensInState, holdToken, newestPeriod,
} from './wallet/index.js';
import { Recovery, openWalletOrSetAside } from './recovery/index.js';
import { describeFixes, secureDataFolder, walletKey } from './vault/index.js';
import { History } from './history/index.js';


const VERSION = '0.1.0';
const PAY_BATCH = 64;
/** Coins given back after 'already-paid' that are checked and swapped per round, each in its own requests. */
const RECLAIMS_PER_ROUND = 16;

export async function createEngine(o: EngineOptions): Promise<Engine> {
  const fixes = secureDataFolder(o.dataDir); // 0700 / 0600, checked at every start (vault/)
  const release = lockDataFolder(o.dataDir); // one engine per data folder (docs/engine.md §When things go wrong)
  let db: Db | null = null;
  let history: History | null = null;
  try {
    // No key or a wrong one: 'wallet-locked', nothing opened or sent. A damaged file is set aside (recovery/).
    const key = walletKey(o.dataDir, o.unlock); // the energy history is encrypted with the wallet's key too
    const opened = openWalletOrSetAside(join(o.dataDir, 'wallet.sqlite'), key);
    db = opened.db;
    o.onWalletOpen?.(db);
    checkInvariants(db);
    ensureSeedPhrase(db);
    if (o.restoreSeed) Recovery.begin(db, o.restoreSeed, () => {});
    else if (opened.setAside) Recovery.needed(db, opened.setAside, () => {});
    const log = keepRecent(o.log ?? createLogger());
    const fixed = describeFixes(fixes);
    if (fixed) log.log('warn', fixed);
    if (opened.encrypted) log.log('info', 'the wallet was stored in clear: it is now encrypted with its key');
    history = History.open(join(o.dataDir, 'history.sqlite'), key, (e) => log.log('warn', `energy history not written (kept to retry): ${(e as { code?: string }).code ?? 'error'}`));
    if (o.ucUrl) setMeta(db, 'uc-url', o.ucUrl);
    if (o.mintUrl) setMeta(db, 'mint-url', o.mintUrl);
    if (o.socks !== undefined) writeProxy(db, o.socks ? { kind: 'socks', host: o.socks.host, port: o.socks.port, label: o.socks.label ?? 'custom' } : { kind: 'none' });
    if (o.proxy) writeProxy(db, o.proxy);
    return new HomeEngine(db, history, o, log, release);
  } catch (e) {
    history?.close();
    db?.close();
    release();
    throw storageError(e) ?? e;
  }
}

class HomeEngine implements Engine {
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly lastWaiting = new Map<number, string>();
  private lastStatus = '';
  private lastFailure = '';
  private readonly meter = new MeterState();
  private proxyState: ProxyView['state'] = 'untested';
  private ucState: UtilityView['state'] = 'unknown';
  private blockedBy: QueueView['blockedBy'] = null;
  /** Epoch ms before which no payment is sent: the UC's last Retry-After. */
  private payNotBefore = 0;
  /** The rebuilding of this wallet from the seed phrase, under way or done (null: never rebuilt). */
  private recovery: Recovery | null;
  /** Whether the wallet can be written; the disk-full and locked states stop work without losing anything. */
  private readonly storage: StorageGuard;
  private ecash: EcashWallet | null = null;
  private readonly link: MeterLink;
  /** The signature checks of tokens and bills when the link has no meter key file. */
  private readonly trust: MeterTrust;
  /** The meter's time stamp of the telegram being ingested (its reading comes before its tokens and bill). */
  private telegramAt: string | null = null;
  private readonly timer: NodeJS.Timeout;
  private round: Promise<void> | null = null;
  /** Work that touches the network and the wallet runs one piece at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly backend: CurveBackend;
  /** Large batches of receipts (a recovery's lookups) checked over the cores; its threads start at the first one. */
  private readonly receiptPool: ReceiptCheckPool;
  /** When tokens are paid and periods settled (docs/timing-privacy.md). */
  private readonly timing: PaymentTiming;
  /** The engine's own tor while the proxy is `managed`. */
  private tor: ManagedTor | null = null;
  /** Top-ups whose invoice waits to be paid: followed (NUT-17, or polling) outside the exclusive section. */
  private readonly topUps = new TopUpFollower({
    route: () => this.route, mintUrl: () => this.mintUrl(),
    check: async (quote) => (await this.wallet()).quoteState(quote),
    finish: (quote) => this.exclusive(() => this.finishTopUp(quote)),
  });

  constructor(private readonly db: Db, private readonly history: History, private readonly o: EngineOptions, private readonly log: Logger & { recent(limit: number): LogLine[] },
    private readonly releaseFolder: () => void) {
    this.storage = new StorageGuard(db);
    this.timing = new PaymentTiming(db, { billing: o.billing, immediateDelayMs: o.payDelayMs, topUp: o.topUp });
    this.recovery = Recovery.load(db, (recovery) => this.emit({ kind: 'recovery', recovery }));
    this.backend = o.backend ?? fastestBackend();
    this.receiptPool = receiptCheckPool(this.backend);
    this.trust = new MeterTrust(db, this.backend, (kind) => this.refusedFromMeter(kind));
    this.link = new MeterLink({ ...(o.serial ? { serial: o.serial } : {}), ...(o.network ? { network: o.network } : {}), ...(o.demoMeter ? { demoMeter: o.demoMeter } : {}) },
      (e) => this.ingest(e), (connected, reason) => this.meterChanged(this.meter.linkStatus(connected), connected ? 'the meter link is open' : `the meter link is down${reason ? `: ${reason}` : ''}`));
    this.meter.use(this.link.open(this.link.startChoice(readMeterChoice(db))));
    this.timer = setInterval(() => void this.runOnce().catch(() => {}), o.tickMs ?? 1000);
    void this.followProxy(); // last: its first event reads the whole status
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) {
      try { l(e); } catch { /* a listener's failure is its own */ }
    }
  }

  private get proxy(): ProxyConfig {
    return readProxy(this.db);
  }

  /** The SOCKS route; for the engine's own tor, only once it is ready: until then 'tor-not-ready' and nothing is sent. */
  private get route(): SocksRoute | null {
    const p = this.proxy;
    if (p.kind !== 'managed') return routeOf(p);
    const r = this.tor?.route() ?? null;
    if (!r) throw new EngineError('tor-not-ready', 'Tor is not ready yet: nothing was sent');
    return r;
  }

  /** Runs the engine's own tor while the proxy is `managed`, and stops it when the proxy changes. */
  private async followProxy(): Promise<void> {
    const managed = this.proxy.kind === 'managed';
    if (managed && !this.tor) this.tor = new ManagedTor({ dataDir: join(this.o.dataDir, 'tor'), ...this.o.tor }, (tor) => this.torChanged(tor));
    if (!managed && this.tor) {
      const tor = this.tor;
      this.tor = null;
      await tor.stop();
    }
  }

  private torChanged(tor: TorView): void {
    if (this.closed) return;
    if (tor.state === 'ready') this.proxyState = 'untested';
    this.emit({ kind: 'tor', tor });
    void this.announceStatus();
  }

  private get ucUrl(): string {
    return requireUcUrl(this.db);
  }

  /** Records why the network failed, in the state the window shows. */
  private noteFailure(code: EngineErrorCode, message: string): void {
    if (code === 'proxy-refused') this.proxyState = 'refused';
    if (code === 'tor-not-ready') this.blockedBy = 'tor-not-ready';
    if (code === 'uc-unreachable') { this.proxyState = 'working'; this.ucState = 'unreachable'; }
    if (code === 'uc-error') this.proxyState = 'working'; // the UC answered, but not usably: payments wait
    const line = `${code}: ${message}`;
    if (line !== this.lastFailure) this.log.log('warn', line); // once per change, not once per round
    this.lastFailure = line;
  }

  /** A 'meter' event at once when the link or its data changed, not at the next round. */
  private meterChanged(changed: boolean, why?: string): void {
    if (!changed || this.closed) return;
    if (why) this.log.log('info', why);
    this.emit({ kind: 'meter', meter: this.meterView() });
  }

  ingest(e: LinkEvent): void {
    if (this.closed) return;
    // While the wallet refuses writes a token or a bill is left to the meter's carousel, without waiting on a lock.
    if ((e.kind === 'token' || e.kind === 'bill') && !this.storage.writable()) return;
    try {
      this.ingestNow(e);
    } catch (err) {
      // The wallet refused the write: the token or bill is not stored, and the meter's carousel sends it again.
      if (!this.noteStorage(err)) throw err;
      void this.announceStatus();
    }
  }

  /** Records a storage failure (disk full, database locked) in the status; false when `e` is something else. */
  private noteStorage(e: unknown): boolean {
    const s = storageError(e);
    if (!s) return false;
    this.storage.noteError(s);
    this.blockedBy = apiErrorCode(s.code);
    this.noteFailure(s.code, s.message);
    return true;
  }

  private ingestNow(e: LinkEvent): void {
    // Held until its key is known, or dropped and counted when its signature does not verify (meter-trust.ts).
    if (e.kind !== 'reading' && !this.trust.accept(e, this.link.billKey !== null)) return;
    this.meterChanged(this.meter.telegram(e.kind === 'bill' ? e.bill.bill.meter : null));
    const at = this.telegramAt ?? new Date().toISOString();
    if (e.kind === 'token') {
      // Stored and scheduled in one transaction: a token stored but never scheduled (a crash between the two) would
      // be seen again as known and never paid.
      const fresh = this.db.transaction(() => {
        const { id, fresh } = receiveToken(this.db, e.token);
        if (id === null || !fresh) return false;
        (this.recovery?.holds(e.token.period) ? holdToken : scheduleToken)(this.db, id, this.timing.tokenDue(e.token.period, Date.now()));
        notePeriodStart(this.db, e.token.period, at);
        return true;
      })();
      if (fresh) this.emit({ kind: 'token-received', period: e.token.period });
    } else if (e.kind === 'bill') {
      const b = e.bill;
      if (receiveBill(this.db, { ...b.bill, mask: b.mask, count: b.count, billKey: this.link.billKey })) {
        notePeriodEnd(this.db, b.bill.period, at);
        this.timing.billReceived(b.bill.period, Date.now());
        this.emit({ kind: 'bill-received', period: b.bill.period });
      }
    } else {
      const reading = this.meter.reading(readingView(e.readings));
      this.history.add(e.readings, reading.at);
      this.telegramAt = reading.at;
      this.timing.telegram(Date.now());
      this.emit({ kind: 'reading', reading });
    }
  }

  /** A forged token or bill was dropped: said in the log (counts only) and in the meter's view. */
  private refusedFromMeter(kind: 'tokens' | 'bills'): void {
    const n = this.trust.refused[kind];
    if ((n & (n - 1)) === 0) this.log.log('warn', `${n} ${kind === 'tokens' ? 'token(s)' : 'bill(s)'} from the meter input dropped: the signature does not verify under the utility's key for it`);
    this.emit({ kind: 'meter', meter: this.meterView() });
  }

  private meterView(): MeterView {
    return { ...this.meter.view(), refused: { ...this.trust.refused } };
  }

  /** What the meter sent before its keys were known: checked now (the meter's bill key is asked once, then pinned). */
  private async checkHeld(): Promise<void> {
    for (let meter = this.trust.wantedMeter(); meter !== null; meter = this.trust.wantedMeter())
      this.trust.registeredKey(meter, await getMeterBillKey(this.route, this.ucUrl, meter)); // each answer takes that meter's bills out
    for (const e of this.trust.release()) this.ingest(e);
  }

  runOnce(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.round ??= this.exclusive(() => this.work()).finally(() => (this.round = null));
    return this.round;
  }

  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => {});
    return run;
  }

  private async work(): Promise<void> {
    try {
      if (!this.storage.writable()) return void (await this.announceStatus()); // no network work it could not record
      const uc = await this.contactUtility();
      if (!uc) return;
      await this.checkHeld();
      const ecash = await this.wallet();
      await this.recovery?.step({ db: this.db, route: this.route, ucUrl: this.ucUrl, A2: uc.A2, backend: this.backend, receiptPool: this.receiptPool, concurrency: this.o.payConcurrency ?? 4, ecash },
        new Date().toISOString());
      const waiting = Date.now() < this.payNotBefore; // the UC asked for time (Retry-After): no coin leaves before
      const r = await payPaced({ db: this.db, route: this.route, ucUrl: this.ucUrl, A2: uc.A2, encodeCoin: (p) => ecash.encodeCoin(p), backend: this.backend, receiptPool: this.receiptPool, concurrency: this.o.payConcurrency ?? 4 },
        this.timing, waiting ? 0 : PAY_BATCH);
      if (r.retryAfterMs > 0) this.payNotBefore = Date.now() + r.retryAfterMs;
      if (!waiting) this.blockedBy = r.blockedBy === null ? null : apiErrorCode(r.blockedBy);
      if (r.blockedBy && r.blockedBy !== 'wallet-empty') this.noteFailure(r.blockedBy, 'payments wait');
      else if (r.attempted > 0) { this.proxyState = 'working'; this.ucState = 'reachable'; this.lastFailure = ''; }
      for (const period of r.paidPeriods) this.emit({ kind: 'token-paid', period });
      if (r.alarms > 0) this.emit({ kind: 'alarm', code: 'receipt-invalid', message: 'the utility answered with a receipt that does not verify' });
      if (r.refused > 0) this.emit({ kind: 'alarm', code: 'bad-request', message: 'the utility refused a payment' });
      if (r.attempted > 0) this.emit({ kind: 'wallet', wallet: walletView(this.db, this.mintUrl(), this.o.topUp?.units) });
      await this.mintUpkeep(ecash);
      for (const period of billPeriods(this.db)) await this.trySettle(period, true);
    } catch (e) {
      if (this.noteStorage(e)) { /* noted: the next rounds probe the wallet and resume by themselves */ }
      else if (e instanceof EngineError) this.noteFailure(e.code, e.message);
      else this.log.log('error', `engine round failed: ${(e as Error).name}`);
    }
    await this.announceStatus();
  }

  /** The round's work at the mint: a mint that cannot be reached is noted, and holds back no settlement (it needs none). */
  private async mintUpkeep(ecash: EcashWallet): Promise<void> {
    try {
      await this.reclaimCoins(ecash);
      this.topUps.resume(openTopUps(this.db)); // a top-up an earlier run left waiting is followed again
      await this.autoTopUp();
    } catch (e) {
      if (!(e instanceof EngineError) || (e.code !== 'mint-unreachable' && e.code !== 'dleq-invalid')) throw e;
      if (e.code === 'dleq-invalid' && `${e.code}: ${e.message}` !== this.lastFailure) this.emit({ kind: 'alarm', code: e.code, message: e.message }); // once, not every round
      this.noteFailure(e.code, e.message);
    }
  }

  /** Coins the UC did not take ('already-paid') go back to the stock if the mint still counts them unspent. */
  private async reclaimCoins(ecash: EcashWallet): Promise<void> {
    if (await ecash.recover()) this.emit({ kind: 'wallet', wallet: walletView(this.db, this.mintUrl(), this.o.topUp?.units) }); // a top-up or swap a crash cut short
    let returned = 0;
    for (const { paymentId, coin } of coinsToCheck(this.db).slice(0, RECLAIMS_PER_ROUND)) {
      this.storage.requireWritable(); // the swap's new proof must be stored
      returned += await ecash.reclaim(coin, (fresh) => coinsChecked(this.db, [paymentId], fresh)); // one payment per swap
    }
    if (returned > 0) this.emit({ kind: 'wallet', wallet: walletView(this.db, this.mintUrl(), this.o.topUp?.units) });
  }

  /** EngineOptions.topUp: a fixed amount when the stock is low, after a random delay, never at a payment. */
  private async autoTopUp(): Promise<void> {
    if (!this.o.topUp || !this.timing.topUpDue(walletView(this.db, this.mintUrl(), this.o.topUp?.units).stock, Date.now())) return;
    try {
      const { quote } = await this.quoteTopUp(this.o.topUp.units);
      await this.finishTopUp(quote); // a quote the mint has not seen paid yet stays noted: the next round follows it
    } finally {
      this.timing.toppedUp();
    }
  }

  /** A 'status' event when the proxy, the utility, the meter or the queue's blocker changed. */
  private async announceStatus(): Promise<void> {
    const status = await this.getStatus();
    const key = JSON.stringify([status.proxy.state, status.proxy.tor?.state, status.utility.state, status.meter.state, status.queue.blockedBy, status.storage.state]);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.emit({ kind: 'status', status });
  }

  /** `paced`: not before the period's settlement time (the engine's rounds); the Settle button settles at once. */
  private async trySettle(period: number, paced = false): Promise<SettlementView> {
    const before = periodView(this.db, period).settlement;
    if (before.kind === 'settled') return before;
    const v = paced && Date.now() < this.timing.settleAt(period, Date.now()) ? settlementView(this.db, period)
      : await settleIfReady({ db: this.db, route: this.route, ucUrl: this.ucUrl, backend: this.backend }, period);
    if (v.kind === 'settled') {
      this.timing.settled(period);
      this.emit({ kind: 'period-settled', period, answer: v.answer });
    }
    else if (v.kind === 'waiting' && this.lastWaiting.get(period) !== JSON.stringify(v)) {
      this.lastWaiting.set(period, JSON.stringify(v)); // say it when it changes, not every round
      this.emit({ kind: 'settlement-waiting', period, missingTokens: v.missingTokens, missingReceipts: v.missingReceipts });
    }
    else if (v.kind === 'refused') this.emit({ kind: 'alarm', code: 'bad-request', message: `settlement refused: ${v.reason}` });
    return v;
  }

  /** The UC's parameters: fetched at first contact and pinned; a changed key stops everything loudly. */
  private async contactUtility(): Promise<{ A1: Uint8Array; A2: Uint8Array } | null> {
    if (this.ucState === 'key-changed' || this.ucState === 'mint-changed') return null;
    const pinned = pinnedUtility(this.db);
    // Over two circuits at first contact and once per period the meter begins (meta 'params-consistent': the period checked).
    const period = String(newestPeriod(this.db));
    const twice = !pinned || getMeta(this.db, 'params-consistent') !== period;
    if (pinned && this.ucState === 'reachable' && !twice) return pinned; // after an outage the key is checked again
    try {
      const { pin, params: { mint, tariff } } = await fetchAndPin(this.db, this.route, this.ucUrl, this.backend, twice);
      if (twice) setMeta(this.db, 'params-consistent', period);
      noteUtilityTariff(this.db, tariff);
      // The UC names its mint (unless the user chose one); the proofs belong to the mint's keys, not its address.
      if (!this.o.mintUrl && !chosenMint(this.db) && getMeta(this.db, 'mint-url') !== mint.url) { setMeta(this.db, 'mint-url', mint.url); this.ecash = null; }
      setMeta(this.db, 'mint-unit', mint.unit);
      this.ucState = 'reachable';
      this.proxyState = 'working';
      return pin;
    } catch (e) {
      if (e instanceof EngineError && (e.code === 'uc-key-changed' || e.code === 'mint-changed' || e.code === 'params-inconsistent')) {
        const was = this.ucState;
        this.ucState = e.code === 'uc-key-changed' ? 'key-changed' : e.code;
        if (was !== this.ucState) { this.emit({ kind: 'alarm', code: e.code, message: e.message }); this.log.log('error', e.message); } // once, not every round
        return null;
      }
      if (pinned) return pinned; // pay on with the pinned key; the UC may only be down for a moment
      throw e;
    }
  }

  private mintUrl(): string {
    return getMeta(this.db, 'mint-url') ?? '';
  }

  private async wallet(): Promise<EcashWallet> {
    if (!this.mintUrl()) await this.contactUtility();
    const mintUrl = this.mintUrl();
    if (!mintUrl) throw new EngineError('mint-unreachable', 'no mint is known yet (the utility names it at first contact)');
    this.ecash ??= new EcashWallet({ db: this.db, mintUrl, unit: getMeta(this.db, 'mint-unit') ?? 'sat', route: () => this.route,
      onKeysetRotation: (from, to) => this.log.log('info', `the mint rotated its keyset (${from.join(', ')} → ${to.join(', ')}): followed`) });
    return this.ecash;
  }

  async getStatus(): Promise<EngineStatus> {
    const pin = pinnedUtility(this.db);
    return {
      version: VERSION,
      dataDir: this.o.dataDir,
      proxy: proxyView(this.proxy, this.proxyState, this.tor?.view ?? null),
      utility: utilityView(getMeta(this.db, 'uc-url') ?? '', this.ucState, pin ? keyFingerprint(pin.A1, pin.A2) : null, pin?.pinnedAt ?? null, anonymitySets(this.db)),
      meter: this.meterView(),
      wallet: walletView(this.db, this.mintUrl(), this.o.topUp?.units),
      queue: queueView(this.db, this.blockedBy),
      recovery: this.recovery?.view() ?? null,
      storage: this.storage.status,
    };
  }

  async getWallet(): Promise<WalletView> {
    return walletView(this.db, this.mintUrl(), this.o.topUp?.units);
  }

  async takeSeedPhrase(): Promise<SeedPhraseView> {
    return { words: takeSeedPhrase(this.db) };
  }

  async confirmBackup(): Promise<WalletView> {
    setMeta(this.db, 'backed-up', new Date().toISOString());
    return this.getWallet();
  }

  /** The invoice is shown (a 'top-up' event) as soon as the quote is noted; resolves once it is minted, failed or expired. */
  async topUp(units: number): Promise<TopUpView> {
    const { quote, view } = await this.exclusive(() => this.quoteTopUp(units));
    return this.topUps.follow(quote, view.expiry);
  }

  private async quoteTopUp(units: number): Promise<{ quote: string; view: TopUpView }> {
    // The quote is noted before its invoice is shown.
    const r = await this.moveMoney('top up', (ecash) => ecash.quoteTopUp(units));
    this.emit({ kind: 'top-up', progress: r.view });
    return r;
  }

  /** Mints a noted quote if it is paid (exactly once: the wallet's note decides), in the exclusive section. */
  private async finishTopUp(quote: string): Promise<TopUpView> {
    const ecash = await this.wallet();
    this.storage.requireWritable(); // proofs the mint issues must be stored
    const view = await this.atMint(() => ecash.finishTopUp(quote, (progress) => this.emit({ kind: 'top-up', progress })));
    this.emit({ kind: 'wallet', wallet: walletView(this.db, this.mintUrl(), this.o.topUp?.units) });
    return view;
  }

  async receiveToken(text: string): Promise<ReceiveView> {
    return this.exclusive(() => this.moveMoney('receive e-cash', async (ecash) => ({ amount: await receiveEcash(ecash, text), balance: coinCounts(this.db).balance })));
  }

  async quoteWithdraw(bolt11: string): Promise<WithdrawQuoteView> {
    return this.exclusive(async () => quoteWithdraw(await this.wallet(), bolt11));
  }

  async withdraw(quote: string): Promise<WithdrawView> {
    return this.exclusive(() => this.moveMoney('withdraw', (ecash) => withdraw(ecash, quote)));
  }

  /** A top-up, a receive or a withdrawal asked for by the household: not while the e-cash is being restored. */
  private async moveMoney<T>(what: string, f: (ecash: EcashWallet) => Promise<T>): Promise<T> {
    if (this.recovery?.proofsPending) throw new EngineError('bad-request', `the e-cash is being restored from the seed phrase: ${what} once that is done`);
    const ecash = await this.wallet();
    this.storage.requireWritable(); // proofs the mint issues must be stored
    const view = await this.atMint(() => f(ecash));
    this.emit({ kind: 'wallet', wallet: walletView(this.db, this.mintUrl(), this.o.topUp?.units) });
    return view;
  }

  /** A request to the mint: a storage failure is noted, a missing DLEQ proof raises the alarm, the wallet is told. */
  private async atMint<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (this.noteStorage(e)) void this.announceStatus();
      if (e instanceof EngineError && e.code === 'dleq-invalid') { this.emit({ kind: 'alarm', code: e.code, message: e.message }); this.log.log('error', e.message); }
      this.emit({ kind: 'wallet', wallet: walletView(this.db, this.mintUrl(), this.o.topUp?.units) }); // a refused melt's inputs are back
      throw storageError(e) ?? e;
    }
  }

  async setProxy(config: ProxyConfig): Promise<ProxyView> {
    const clean = writeProxy(this.db, config);
    this.proxyState = clean.kind === 'none' ? 'unconfigured' : 'untested';
    await this.followProxy();
    const view = proxyView(clean, this.proxyState, this.tor?.view ?? null);
    this.emit({ kind: 'proxy', proxy: view });
    return view;
  }

  async listPeriods(): Promise<PeriodView[]> {
    return listPeriodViews(this.db);
  }

  async getPeriod(period: number): Promise<PeriodView> {
    if (!Number.isInteger(period) || period < 0) throw new EngineError('bad-request', 'a period is a non-negative integer');
    return periodView(this.db, period);
  }

  async settle(period: number): Promise<SettlementView> {
    await this.getPeriod(period);
    return this.exclusive(() => this.trySettle(period));
  }

  async retryAlarms(): Promise<QueueView> {
    for (const t of tokensInState(this.db, 'alarm')) retryAlarm(this.db, t.id);
    return queueView(this.db, this.blockedBy);
  }

  async exportReceipts(period: number): Promise<PeriodEvidence> {
    await this.getPeriod(period); // checks the argument
    return periodEvidence(this.db, period, this.backend);
  }

  async getReadings(since: string | null): Promise<ReadingView[]> {
    return this.meter.readingsSince(since);
  }

  async getHistory(query: HistoryQuery): Promise<HistoryBucketView[]> {
    return this.history.buckets(query, readTariff(this.db).perKWh);
  }

  async getHistorySamples(from: string, to: string): Promise<HistorySampleView[]> {
    return this.history.samples(from, to);
  }

  async getPowerProfile(from: string, to: string): Promise<PowerMinuteView[]> {
    return this.history.powerProfile(from, to);
  }

  async getCapacity(): Promise<CapacityView> {
    return this.history.capacity();
  }

  async exportHistoryCsv(query: HistoryQuery): Promise<string> {
    return this.history.csv(query, readTariff(this.db).perKWh);
  }

  async listPorts(probe: boolean): Promise<SerialPortView[]> {
    return portViews(probe === true, { path: this.link.openPath, line: this.link.openLine, receiving: this.meter.view().state === 'receiving' });
  }

  async chooseMeter(choice: MeterChoice): Promise<MeterView> {
    const clean = checkMeterChoice(choice);
    this.meter.use(await this.link.use(clean)); // refuses 'demo' before anything changes when the host has none
    writeMeterChoice(this.db, clean);
    this.log.log('info', `meter source: ${clean.kind === 'port' ? `port ${clean.path} (${clean.line})` : clean.kind === 'network' ? `network ${clean.address} (${clean.line})` : clean.kind}`);
    const view = this.meterView();
    this.emit({ kind: 'meter', meter: view });
    return view;
  }

  async setUtility(url: string): Promise<UtilityView> {
    const clean = checkBaseUrl(url, 'utility');
    return this.exclusive(async () => {
      const mintBefore = this.mintUrl();
      const { pin, params } = await switchUtility(this.db, this.route, clean, this.backend, !this.o.mintUrl && !chosenMint(this.db));
      if (this.mintUrl() !== mintBefore) this.ecash = null;
      setMeta(this.db, 'mint-unit', params.mint.unit);
      this.ucState = 'reachable';
      this.proxyState = 'working';
      this.log.log('info', `utility pinned: ${clean}`);
      await this.announceStatus();
      return utilityView(clean, this.ucState, keyFingerprint(pin.A1, pin.A2), pin.pinnedAt, anonymitySets(this.db));
    });
  }

  async setMint(url: string | null): Promise<WalletView> {
    return this.exclusive(async () => {
      const pin = pinnedUtility(this.db);
      const utilityMint = pin ? ((JSON.parse(pin.params) as { mint?: { url?: string } }).mint?.url ?? null) : null;
      const before = this.mintUrl();
      if (chooseMint(this.db, url, utilityMint) !== before) this.ecash = null;
      const view = walletView(this.db, this.mintUrl(), this.o.topUp?.units);
      this.emit({ kind: 'wallet', wallet: view });
      return view;
    });
  }

  async getTariff(): Promise<TariffView> {
    return readTariff(this.db);
  }

  async setTariff(tariff: Omit<TariffView, 'source'>): Promise<TariffView> {
    return writeTariff(this.db, tariff);
  }

  async getLogs(limit: number): Promise<LogLine[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new EngineError('bad-request', 'a log limit is an integer from 1 to 1000');
    return this.log.recent(limit);
  }

  /** A running engine is unlocked; only a host holding it locked (main/host/locked.ts) answers otherwise. */
  async getLock(): Promise<LockView> {
    return { locked: false, newWallet: false };
  }

  async unlock(): Promise<EngineStatus> {
    throw new EngineError('bad-request', 'the wallet is already unlocked');
  }

  /** Rebuilds this (new) wallet from the seed phrase the user wrote down (docs/engine.md §Recovery). */
  async restoreWallet(words: string[]): Promise<RecoveryView> {
    return this.exclusive(async () => {
      const next = Recovery.begin(this.db, words, (recovery) => this.emit({ kind: 'recovery', recovery }));
      await this.recovery?.close(); // a scan under way belongs to the recovery this one replaces
      this.recovery = next;
      this.ecash = null; // its secrets now derive from the restored phrase
      return this.recovery.view();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.topUps.close(); // a waiting top-up resumes at the next start
    await this.queue;
    await this.recovery?.close();
    await this.receiptPool.close();
    await this.tor?.stop();
    this.tor = null;
    await this.link.end();
    this.history.close();
    this.db.close();
    this.releaseFolder();
  }
}
