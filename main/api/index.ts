/**
 * The home engine's contract (architecture.md §Processes): commands, events and plain-JSON shapes shared by the
 * headless CLI, the browser-mode host (WebSocket) and the Electron shell (IPC). The renderer imports it with
 * `import type` only, so this file holds types and a few constants and imports nothing.
 *
 * Every value here must survive Electron's structured clone and JSON unchanged: hex strings for bytes, numbers,
 * bigint as a decimal string, ISO-8601 times, unions discriminated on `kind`.
 *
 * Privacy: these shapes go to the household's own window, never to a log or the network. They still carry no
 * token bytes, receipts, masks or proof secrets: the window has no use for them, and a smaller surface leaks less.
 * @module
 */

/** Where a token stands (protocol.md §Payment): one explicit state machine per token. */
export type TokenState = 'received' | 'scheduled' | 'paying' | 'alarm' | 'receipted' | 'settled';
/** Where an e-cash proof stands: one explicit state machine per coin. */
export type CoinState = 'unspent' | 'reserved' | 'spent';

/**
 * How the engine reaches the network: always through a SOCKS5 proxy, never directly (fail closed).
 * `managed`: the engine runs and supervises its own `tor` (its own data folder, loopback ports); nothing is sent
 * until it has bootstrapped.
 */
export type ProxyConfig =
  | { kind: 'managed' }
  | { kind: 'socks'; host: string; port: number; label: 'system-tor' | 'tor-browser' | 'custom' | 'demo-hop' }
  | { kind: 'none' };

/** The engine's own tor (managed) or a named tor followed through its ControlPort; null in ProxyView otherwise. */
export interface TorView {
  state: 'starting' | 'bootstrapping' | 'ready' | 'restarting' | 'failed' | 'stopped';
  /** Bootstrap progress, 0–100. */
  progress: number;
  /** Tor's own words for the current phase or failure ("Loading relay descriptors"). */
  summary: string | null;
}

/** The proxy as last seen: `anonymous` is false for the demo's built-in hop (it hides nothing). */
export interface ProxyView {
  config: ProxyConfig;
  state: 'unconfigured' | 'untested' | 'working' | 'refused';
  anonymous: boolean;
  /** Plain words for the window when the state is not `working`. */
  reason: string | null;
  tor: TorView | null;
}

/** The utility company as pinned at first contact (protocol.md §Keys). */
export interface UtilityView {
  url: string;
  /**
   * 'mint-changed': the utility now names another mint than the one pinned with its key (payments stopped);
   * 'params-inconsistent': it answered two independent circuits differently (payments stopped; checked again each round).
   */
  state: 'unknown' | 'reachable' | 'unreachable' | 'key-changed' | 'mint-changed' | 'params-inconsistent';
  /** Hex SHA-256 of A1 || A2, shown to the user; null until first contact. */
  fingerprint: string | null;
  pinnedAt: string | null;
  /**
   * The utility's anonymity sets as its latest `/v1/params` gave them: `size` is the meters registered in the set (the
   * households a payment hides among; null from a utility that does not publish it), `small` when below 50 (the window then warns).
   */
  anonymitySets: { set: number; size: number | null; small: boolean }[];
}

export interface MeterView {
  state: 'waiting' | 'receiving' | 'disconnected';
  meter: string | null;
  lastTelegramAt: string | null;
  /** Tokens and bills from the meter input dropped since the engine started: their signature does not verify (forged or damaged). */
  refused: { tokens: number; bills: number };
  /** What the engine reads: a serial port's path and its line settings, a network meter, the demo meter, or nothing chosen yet. */
  /** `framing`: an encrypted meter's framing (its keys are never shown back). */
  source: { kind: 'port'; path: string; line: MeterLine; framing?: MeterEncryption['framing'] } | { kind: 'network'; address: string; line: MeterLine } | { kind: 'demo' } | { kind: 'none' };
}

/**
 * A meter's line settings: `dsmr4` is 115200 baud 8N1 with a CRC on every telegram (DSMR 4/5, e-MUCS, Sipster);
 * `dsmr22` is 9600 baud 7E1 without a CRC (DSMR 2.2/3.0). On a network meter only the CRC part applies.
 */
export type MeterLine = 'dsmr4' | 'dsmr22';

/** A serial port as the window lists it when the user chooses the meter. */
export interface SerialPortView {
  path: string;
  /** USB names, when the port is a USB device ("FTDI", "P1 Converter Cable"). */
  manufacturer: string | null;
  product: string | null;
  vendorId: string | null;
  productId: string | null;
  /** True when a P1 telegram was heard on it during the probe; null when not probed. */
  speaksP1: boolean | null;
  /** The line settings it was heard at (a DSMR 4+ telegram with a valid CRC, else a whole DSMR 2.2/3.0 one); null when none. */
  line: MeterLine | null;
}

/**
 * The keys of an encrypted P1 or DLMS push meter (hex, 32 digits each) and its framing, which sets the line:
 * 'mbus' 2400 8E1 (Austrian Kaifa), 'raw' and 'hdlc' 115200 8N1 (Luxembourg Smarty, Landis+Gyr E450).
 * `authKey` absent: Luxembourg's published key; null: no authentication key. Kept in the wallet file with
 * the other secrets; never shown back in a view.
 */
export interface MeterEncryption { framing: 'raw' | 'mbus' | 'hdlc'; key: string; authKey?: string | null }

/**
 * Where the meter is read. `line` defaults to `dsmr4`; `dlms` (an encrypted meter) sets the line from its framing.
 * A network meter's address is `tcp://HOST:PORT` (raw P1 bytes: ser2net, ESPHome's stream server, Wi-Fi P1 dongles)
 * or `homewizard://HOST[:PORT]` (HomeWizard's P1 meter).
 */
export type MeterChoice =
  | { kind: 'port'; path: string; line?: MeterLine; dlms?: MeterEncryption }
  | { kind: 'network'; address: string; line?: MeterLine }
  | { kind: 'demo' }
  | { kind: 'none' };

/** Prices the app uses to show cost; the tokens themselves are the exact cost (one token = one unit of expense). */
export interface TariffView {
  currency: string;
  /** Value of one token (one unit of expense) in `currency`. */
  tokenValue: number;
  /** Price per kWh by the meter's tariff register (index 0 = tariff 1), to estimate the cost of readings. */
  perKWh: number[];
  source: 'utility' | 'user' | 'default';
}

/** One line of the engine's log, already redacted (no token, receipt, proof, index or K ever reaches it). */
export interface LogLine {
  at: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** A wallet rebuilt from the seed phrase, the meter's carousel and the UC (issue 6 §Recovery). */
export interface RecoveryView {
  /** `needed`: the wallet file was damaged and set aside; the window asks for the seed phrase (`restoreWallet`). */
  state: 'needed' | 'restoring' | 'restored' | 'failed';
  /** Unspent proofs found again at the mint (NUT-09). */
  proofs: number;
  /** Tokens heard again from the meter's carousel, and receipts fetched again from the UC without a coin. */
  tokens: number;
  receipts: number;
  startedAt: string;
  finishedAt: string | null;
  message: string | null;
}

export interface WalletView {
  mintUrl: string;
  /** Sum of unspent proofs, in units. */
  balance: number;
  /** Unspent 1-unit proofs ready for payments (split ahead of time). */
  stock: number;
  /** Proofs bound to a token whose payment is under way. */
  reserved: number;
  spent: number;
  /** False until the user confirms the seed phrase was written down. */
  backedUp: boolean;
  /**
   * The top-up amounts everyone is offered (the timing policy's fixed amount and its multiples): another amount is
   * allowed, but an unusual one can single the household out at the mint.
   */
  topUpAmounts: number[];
  /** The newest top-up whose invoice waits to be paid (it survives a restart); null when none does. */
  waitingTopUp: TopUpView | null;
}

export interface PeriodView {
  period: number;
  /** When the period began and ended by the meter's clock (the first token's and the bill's telegrams); null until seen. */
  start: string | null;
  end: string | null;
  tokens: number;
  /** Tokens with a verified receipt (receipted or settled). */
  paid: number;
  queued: number;
  alarms: number;
  bill: { received: boolean; count: number | null; fault: boolean };
  settlement: SettlementView;
}

export type SettlementView =
  | { kind: 'open' }
  | { kind: 'waiting'; missingTokens: number; missingReceipts: number }
  | { kind: 'settled'; at: string; answer: string }
  | { kind: 'refused'; at: string; reason: string };

export interface QueueView {
  scheduled: number;
  paying: number;
  alarms: number;
  /** Why nothing moves, in plain words, or null when payments flow. */
  blockedBy: ApiErrorCode | 'wallet-empty' | null;
}

export interface EngineStatus {
  version: string;
  dataDir: string;
  proxy: ProxyView;
  utility: UtilityView;
  meter: MeterView;
  wallet: WalletView;
  queue: QueueView;
  /** Set while (and after) the wallet was rebuilt from the seed phrase; null when it never was. */
  recovery: RecoveryView | null;
  /** Why the engine cannot write its wallet (disk full, database locked), in plain words; null when it can. */
  storage: { state: 'ok' | 'disk-full' | 'locked'; reason: string | null };
}

export interface TopUpView {
  /** The amount bought, in units (1 unit = 1 sat on the invoice). */
  units: number;
  /** quoted: the invoice waits to be paid; expired: it was not paid in time, and must not be paid now. */
  state: 'quoted' | 'paid' | 'minted' | 'failed' | 'expired';
  balance: number;
  /** The Lightning invoice to pay (BOLT-11 text); null for a top-up from before invoices were kept. */
  request: string | null;
  /** Unix seconds until which the invoice can be paid; null when the mint gave none. */
  expiry: number | null;
}

/** A pasted Cashu token swapped into this wallet: `amount` in units (after the mint's input fees, if any). */
export interface ReceiveView {
  amount: number;
  balance: number;
}

/** A Lightning invoice the mint offers to pay from this wallet (NUT-05 melt quote), shown before confirming. */
export interface WithdrawQuoteView {
  quote: string;
  /** The invoice's amount, and at most this much more for routing (what is not used comes back as change). */
  amount: number;
  feeReserve: number;
  /** When the mint's offer ends (ISO). */
  expiresAt: string;
  balance: number;
}

/**
 * A withdrawal: `paid` (the fee actually spent and the change returned, both in units) or `pending` (the mint is
 * still paying: the inputs stay out of the balance until it says PAID or FAILED; the engine asks again by itself).
 */
export interface WithdrawView {
  state: 'paid' | 'pending';
  amount: number;
  feePaid: number | null;
  change: number | null;
  balance: number;
}

/** Shown once at first start, for the user to write down (BIP-39, 12 words). */
export interface SeedPhraseView {
  words: string[];
}

/**
 * A period's evidence for a dispute (docs/dispute.md; the format is protocol/dispute's, checked by
 * `npm run verify-export`): every byte string hex. No coin, no seed; ρ_t is there, for the household to show.
 */
export interface PeriodEvidence {
  format: 'sipster-dispute-evidence';
  version: 1;
  utility: { A1: string; A2: string; fingerprint: string };
  set: { set: number; tokenPublicKey: string };
  tokens: { T: string; sig: string; receipt: string }[];
  bill: { meter: string; period: number; fault: boolean; R: string; sig: string; billPublicKey: string | null };
  mask: string;
  combined: string;
  settlement: { state: 'sent' | 'settled' | 'refused'; answer: string | null; answeredAt: string | null } | null;
}

/** One reading of the meter; it stays on this computer. `at` is the telegram's own time stamp (the meter's clock). */
export interface ReadingView {
  at: string;
  powerW: number;
  energyWh: number;
  /** The tariff register in use (1-based), when the telegram says. */
  tariff: number | null;
  /** Power drawn per phase (W), L1–L3, when the meter sends it (null for a phase it does not). */
  phasesW?: (number | null)[];
}

/** How long one bar of the energy history is; days, weeks (from Monday), months and years in this computer's time. */
export type HistoryBucket = 'hour' | 'day' | 'week' | 'month' | 'year';

/** Buckets starting in [from, to) (ISO times; null: from the first, to the last reading stored). */
export interface HistoryQuery {
  bucket: HistoryBucket;
  from?: string | null;
  to?: string | null;
}

/** Energy per register: tariffs 1–4 (x.8.1–x.8.4), and x.8.0 for a meter that sends no tariff registers. */
export interface RegisterKwh {
  t1: number;
  t2: number;
  t3: number;
  t4: number;
  total: number;
}

/** One bucket of the energy history: exact register differences, never sums of power; it stays on this computer. */
export interface HistoryBucketView {
  start: string;
  importKwh: number;
  exportKwh: number;
  importByRegister: RegisterKwh;
  exportByRegister: RegisterKwh;
  /** Gas and water (M-Bus) by their own time stamps; null when the meter has never sent them. */
  gasM3: number | null;
  waterM3: number | null;
  /** Import priced per register with the tariff (TariffView.perKWh); null when a register used has no price. */
  costEstimate: number | null;
  /** Registers that went backwards here (a meter swapped or reset): a new series starts, never counted as negative use. */
  seriesBreaks: number;
}

/** One telegram as stored (full resolution: the last 10 days). Phases are L1, L2, L3; null where the meter sends nothing. */
export interface HistorySampleView {
  at: string;
  importWh: number | null;
  exportWh: number | null;
  tariff: number | null;
  powerW: number | null;
  exportPowerW: number | null;
  phasePowerW: (number | null)[];
  phaseExportW: (number | null)[];
  voltageV: (number | null)[];
}

/** Least, mean and most of a power value over the telegrams of one minute (W). */
export interface PowerRange {
  min: number;
  mean: number;
  max: number;
}

/** One minute of power from the per-minute summary (kept as long as the telegrams); null where no telegram had the value. */
export interface PowerMinuteView {
  start: string;
  powerW: PowerRange | null;
  exportPowerW: PowerRange | null;
  /** L1, L2, L3. */
  phasePowerW: (PowerRange | null)[];
  phaseExportW: (PowerRange | null)[];
  /** Import and export registers (Wh, the tariff registers' sum) and the tariff at the minute's last telegram. */
  importWh: number | null;
  exportWh: number | null;
  tariff: number | null;
}

/**
 * Belgium's capacity tariff: this month's highest quarter-hour average import (kW) and the running quarter-hour.
 * `source` says whether the meter sent it (1-0:1.6.0, 1-0:1.4.0) or it is computed from the import registers.
 */
export interface CapacityView {
  /** null before the month's first complete quarter-hour. `at`: the peak quarter's start (registers) or the meter's time stamp. */
  monthPeak: { kw: number; at: string | null; source: 'meter' | 'registers' } | null;
  /** The running quarter-hour: its average so far and its projection to its end at today's power; null before any telegram. */
  quarter: { start: string; averageKw: number; projectedKw: number; source: 'meter' | 'registers' } | null;
  /** Whether the projection goes above the month's peak (a higher peak costs more). */
  headingAbovePeak: boolean;
}

export type ApiErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'proxy-refused'
  | 'uc-unreachable'
  | 'uc-key-changed'
  | 'mint-changed'
  | 'params-inconsistent'
  | 'dleq-invalid'
  | 'receipt-invalid'
  | 'coin-rejected'
  | 'mint-unreachable'
  /** A pasted token of another mint (or unit) than the wallet's: the message names its mint. */
  | 'other-mint'
  /** A pasted token already spent (received before, here or elsewhere). */
  | 'token-spent'
  /** The mint did not pay the invoice (or its offer ended): nothing left the wallet. */
  | 'withdraw-failed'
  | 'tor-not-ready'
  | 'uc-error'
  | 'disk-full'
  | 'database-locked'
  | 'wallet-empty'
  | 'seed-already-shown'
  | 'db-from-future'
  /** No key for the wallet, or not its key: the engine does not start and sends nothing; the message says how to unlock. */
  | 'wallet-locked'
  | 'internal';

export type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** The commands; arguments are validated by the engine. Events come through `EngineEvent`. */
export interface EngineApi {
  getStatus(): Promise<EngineStatus>;
  getWallet(): Promise<WalletView>;
  /** The seed phrase, once: later calls answer 'seed-already-shown'. */
  takeSeedPhrase(): Promise<SeedPhraseView>;
  confirmBackup(): Promise<WalletView>;
  topUp(units: number): Promise<TopUpView>;
  /** Swaps a pasted Cashu token (cashuA… or cashuB…) of the wallet's mint into the wallet at once. */
  receiveToken(text: string): Promise<ReceiveView>;
  /** Asks the mint what paying this BOLT-11 invoice would take (amount and fee reserve); nothing is spent yet. */
  quoteWithdraw(bolt11: string): Promise<WithdrawQuoteView>;
  /** Pays the invoice of a quote from quoteWithdraw; the unused fee reserve comes back as change (NUT-08). */
  withdraw(quote: string): Promise<WithdrawView>;
  setProxy(config: ProxyConfig): Promise<ProxyView>;
  listPeriods(): Promise<PeriodView[]>;
  getPeriod(period: number): Promise<PeriodView>;
  /** Settle now if the bill and every receipt are there; else says what is missing. */
  settle(period: number): Promise<SettlementView>;
  /** Retry tokens in `alarm` after the user has seen why. */
  retryAlarms(): Promise<QueueView>;
  /** The period's evidence for a dispute: 'not-found' until its bill and every receipt are here. */
  exportReceipts(period: number): Promise<PeriodEvidence>;
  getReadings(since: string | null): Promise<ReadingView[]>;
  /** The stored energy history in buckets (docs/engine.md §Energy history). */
  getHistory(query: HistoryQuery): Promise<HistoryBucketView[]>;
  /** Every telegram stored between two ISO times, at most 48 hours apart. */
  getHistorySamples(from: string, to: string): Promise<HistorySampleView[]>;
  /** Power minute by minute between two ISO times at most 10 days apart: a day's power chart (1,440 rows). */
  getPowerProfile(from: string, to: string): Promise<PowerMinuteView[]>;
  /** Belgium's capacity tariff: the month's quarter-hour peak and the running quarter-hour (docs/engine.md §Capacity peak). */
  getCapacity(): Promise<CapacityView>;
  /** The same buckets as getHistory, as CSV (one header line, one line per bucket). */
  exportHistoryCsv(query: HistoryQuery): Promise<string>;
  /** Serial ports with their USB names; `probe` listens on each briefly for a P1 telegram. */
  listPorts(probe: boolean): Promise<SerialPortView[]>;
  /** Reads the meter from this port (remembered), the demo meter, or nothing. */
  chooseMeter(choice: MeterChoice): Promise<MeterView>;
  /** Names the utility: its parameters are fetched through the proxy and the key pinned (fingerprint in the view). */
  setUtility(url: string): Promise<UtilityView>;
  /** Names the mint; null: the one the utility names. */
  setMint(url: string | null): Promise<WalletView>;
  getTariff(): Promise<TariffView>;
  setTariff(tariff: Omit<TariffView, 'source'>): Promise<TariffView>;
  /** The newest log lines (at most `limit`), redacted, for Settings and bug reports. */
  getLogs(limit: number): Promise<LogLine[]>;
  /**
   * "I have a seed phrase": rebuilds this new wallet (no e-cash or payments of its own yet) from the 12 words; the
   * progress comes as `recovery` events and in `EngineStatus.recovery`.
   */
  restoreWallet(words: string[]): Promise<RecoveryView>;
}

export type EngineEvent =
  | { kind: 'status'; status: EngineStatus }
  | { kind: 'reading'; reading: ReadingView }
  | { kind: 'token-received'; period: number }
  | { kind: 'token-paid'; period: number }
  | { kind: 'bill-received'; period: number }
  | { kind: 'period-settled'; period: number; answer: string }
  | { kind: 'settlement-waiting'; period: number; missingTokens: number; missingReceipts: number }
  | { kind: 'top-up'; progress: TopUpView }
  | { kind: 'wallet'; wallet: WalletView }
  | { kind: 'proxy'; proxy: ProxyView }
  | { kind: 'tor'; tor: TorView }
  | { kind: 'meter'; meter: MeterView }
  | { kind: 'recovery'; recovery: RecoveryView }
  | { kind: 'alarm'; code: ApiErrorCode; message: string };

export type EventKind = EngineEvent['kind'];

export type BridgedApi = {
  [K in keyof EngineApi]: (...a: Parameters<EngineApi[K]>) => Promise<Reply<Awaited<ReturnType<EngineApi[K]>>>>;
};

export const ENGINE_METHODS = [
  'getStatus',
  'getWallet',
  'takeSeedPhrase',
  'confirmBackup',
  'topUp',
  'receiveToken',
  'quoteWithdraw',
  'withdraw',
  'setProxy',
  'listPeriods',
  'getPeriod',
  'settle',
  'retryAlarms',
  'exportReceipts',
  'getReadings',
  'getHistory',
  'getHistorySamples',
  'getPowerProfile',
  'getCapacity',
  'exportHistoryCsv',
  'listPorts',
  'chooseMeter',
  'setUtility',
  'setMint',
  'getTariff',
  'setTariff',
  'getLogs',
  'restoreWallet',
] as const satisfies readonly (keyof EngineApi)[];
type Missing = Exclude<keyof EngineApi, (typeof ENGINE_METHODS)[number]>;
/** Fails to compile, naming the method, when EngineApi grows a method ENGINE_METHODS lacks. */
export const ENGINE_METHODS_COMPLETE: [Missing] extends [never] ? true : Missing = true;

/** The preload's event hook, exposed beside `window.sipster` as `window.sipsterEvents`. */
export interface EventBridge {
  subscribe(listener: (e: EngineEvent) => void): () => void;
}

/** Browser mode's WebSocket wire: a call `{id, method, args}`, its answer `{id, reply}`, and pushed events `{event}`. */
export type WireCall = { id: number; method: keyof BridgedApi; args: unknown[] };
export type WireMessage = { id: number; reply: Reply<unknown> } | { event: EngineEvent };

export const CHANNEL = (m: keyof EngineApi) => `sipster:${m}` as const;
/** The one channel events travel on (IPC `send`, or a WebSocket message `{event}`). */
export const EVENT_CHANNEL = 'sipster:event';
