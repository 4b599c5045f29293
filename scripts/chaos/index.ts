/**
 * The crash campaign (issue 6): one stack on loopback (the mint and the UC as their own processes, each behind a
 * counting front; the meter emulator on an accelerated clock writing a socat pty; the demo SOCKS hop) and the home
 * engine as a child process (engine-child.ts: the CLI's `run --json` with automatic top-ups and the meter's clock).
 * Each run picks a phase (top-up, payment, settlement) and a moment in it, waits until it comes (the wallet database
 * read alongside, a request or an answer at a front), SIGKILLs the engine there, restarts it and times how long until
 * the interrupted work is done. The meter's periods run across many kills. At the end the engine finishes cleanly and
 * `checkEnd` compares the mint's, the UC's and the wallet's books.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom, startMeter } from '../../meter-emulator/index.js';
import { ptyPair } from '../../test/support/pty.js';
import { registerMeter, startServerProcesses, ucAdmin } from '../demo-stack.js';
import { type EndChecks, checkEnd } from './checks.js';
import { type Front, startFront } from './front.js';
import { type Db, openSqlite } from '../../main/engine/vault/index.js';
import { TEST_WALLET_KEY } from '../test-wallet-key.js';

export const PHASES = ['top-up', 'payment', 'settlement'] as const;
export type Phase = (typeof PHASES)[number];

export interface ChaosOptions {
  runs: number;
  /** Seeds the choice of phases and kill moments (the machine's timing still varies). */
  seed?: number;
  /** Where the stack keeps its state (default: a fresh temporary folder). */
  dir?: string;
  /** Real seconds per billing period of the meter (a day of the emulated clock). */
  periodSeconds?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface ChaosReport {
  runs: number;
  seed: number;
  /** Kills that landed inside their phase, per phase. */
  kills: Record<Phase, number>;
  /** The same by the moment inside the phase. */
  killsAt: Record<string, number>;
  /** Runs whose phase never came in time: the engine was killed anyway, not counted. */
  missed: number;
  /** Kills after which the wallet held nothing to finish (e.g. before the quote was recorded, or after the answer was stored). */
  nothingLeft: number;
  /** Time from the restart (process spawned) until the interrupted work was done (ms). */
  recoverMs: { n: number; p50: number; p99: number; max: number };
  periods: EndChecks['periods'];
  tokens: EndChecks['tokens'];
  coins: EndChecks['coins'];
  doublePaid: number;
  /** Refusals of the mint counted at its front: double spends (spent, pending) and reused outputs. */
  doubleSpendErrors: { spent: number; pending: number; outputsSigned: number };
  /** The UC's refusals seen at its front by error word (already-settled after a lost settlement answer is expected). */
  ucRefusals: Record<string, number>;
  alarms: number;
  wallSeconds: number;
  failures: string[];
  ok: boolean;
}

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'engine-child.ts');
/** The engine's automatic top-ups: a round amount when the stock of 1-unit proofs runs low. */
const TOP_UP = { units: 64, lowWater: 32 };
const RECOVER_TIMEOUT_MS = 90_000;
/** The least time an engine runs between its start and the next kill. */
const MIN_UP_MS = 4000;

/** The engine as a child process (engine-child.ts); stdout JSON lines are its events. */
class EngineProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr = '';
  alarms = 0;
  readonly startedAt = Date.now();

  constructor(options: object) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
    let buf = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; buf = buf.slice(i + 1), i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        if (line.includes('"kind":"alarm"')) this.alarms++;
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    const orphan = () => this.child.kill('SIGKILL');
    process.once('exit', orphan);
    void this.exited.then(() => process.off('exit', orphan));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL; true when the process was still running. */
  async kill(): Promise<boolean> {
    const was = this.alive;
    if (was) this.child.kill('SIGKILL');
    await this.exited;
    return was;
  }

  async stop(): Promise<void> {
    if (this.alive) this.child.kill('SIGTERM');
    await this.exited;
  }
}

const percentile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const t0 = Date.now();
  const seed = o.seed ?? Date.now() % 2 ** 31;
  const rng = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const log = o.log ?? (() => {});
  const periodSeconds = o.periodSeconds ?? 12;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'sipster-chaos-'));
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });

  const made: { mintFront?: Front } = {};
  const servers = await startServerProcesses(dir, { mintFront: async (url) => (made.mintFront = await startFront(url)).url });
  const mintFront = made.mintFront!;
  const ucFront = await startFront(servers.ucUrl); // the engine reaches the UC through it (and the SOCKS hop)
  const pty = await ptyPair(join(dir, 'pty'), ['meter', 'home']);
  const meter = await startMeter({
    port: pty.a, seedFile: join(dir, 'meter-state.json'), speed: 86_400 / periodSeconds, intervalMs: 1000, periodHours: 24,
    unit: 0.08, meterId: 'SIPSTER-CHAOS-1',
  });
  const keys = meter.publicKeys;
  const keysFile = join(dir, 'meter-keys.json');
  writeFileSync(keysFile, JSON.stringify(keys));
  await registerMeter(servers.adminUrl, servers.adminToken, keys, []);
  const openPeriods = async () => {
    const t = meter.record.state.period;
    for (const p of [t, t + 1]) await ucAdmin(servers.adminUrl, servers.adminToken, 'PUT', `/admin/v1/periods/${p}`, { state: 'open' });
  };
  await openPeriods();
  const upkeep = setInterval(() => void openPeriods().catch(() => {}), 1000);
  const firstPeriod = meter.record.state.period;

  const startEngine = () => new EngineProcess({
    dataDir: home, ucUrl: ucFront.url, socks: { host: servers.hop.host, port: servers.hop.port, label: 'demo-hop' },
    serialPort: pty.b, meterKeysFile: keysFile, topUp: TOP_UP, payDelayMaxMs: periodSeconds * 100, tickMs: 250,
    billing: { periodMs: periodSeconds * 1000, graceMs: periodSeconds * 500 }, // the meter's clock
  });
  const failures: string[] = [];
  let alarms = 0;
  let db = null as Db | null; // opened once the engine has made the file
  const wallet = (): Db => {
    if (db) return db;
    db = openSqlite(join(home, 'wallet.sqlite'), TEST_WALLET_KEY);
    db.pragma('busy_timeout = 5000');
    return db;
  };
  const all = <T>(q: string, ...a: unknown[]) => wallet().prepare(q).all(...a) as T[];
  const num = (q: string, ...a: unknown[]) => Number((wallet().prepare(q).get(...a) as { n: number | null } | undefined)?.n ?? 0);

  let engine = startEngine();
  const kills: Record<Phase, number> = { 'top-up': 0, payment: 0, settlement: 0 };
  const killsAt: Record<string, number> = {};
  const recoverMs: number[] = [];
  let missed = 0;
  let nothingLeft = 0;

  /** Polls `cond` every `everyMs` until it holds (returns its value) or `ms` pass (null); stops early if `engine` died. */
  const until = async <T>(cond: () => T | null | undefined | false, ms: number, everyMs = 2): Promise<T | null> => {
    for (const end = Date.now() + ms; Date.now() < end;) {
      const v = cond();
      if (v) return v;
      if (!engine.alive) return null;
      await sleep(everyMs);
    }
    return null;
  };

  if (!(await until(() => existsSync(join(home, 'wallet.sqlite')), 60_000, 50))) throw new Error(`the engine did not start: ${engine.stderr}`);
  // A row of a payment cut short by an earlier kill stays open: only tokens still paying count.
  const inFlightPayments = () => all<{ token_id: number }>("SELECT p.token_id FROM payments p JOIN tokens t ON t.id = p.token_id WHERE p.outcome IS NULL AND t.state = 'paying'").map((r) => r.token_id);
  const readyPeriods = () => all<{ period: number; state: string | null }>(`SELECT b.period, s.state FROM bills b LEFT JOIN settlements s ON s.period = b.period
      WHERE (s.state IS NULL OR s.state = 'sent') AND b.count = (SELECT COUNT(*) FROM tokens t WHERE t.period = b.period AND t.state IN ('receipted', 'settled'))`);
  const topUpPending = () => num(`SELECT (SELECT COUNT(*) FROM top_ups WHERE state IN ('quoted', 'paid'))
      + (SELECT COUNT(*) FROM proofs WHERE state = 'unspent' AND amount > 1) + (SELECT COUNT(*) FROM meta WHERE key LIKE 'cashu-pending:%') AS n`);

  /**
   * Kills the engine at `path` on front `f`: `delayMs` after the request arrives, or ('answer') once the server has
   * answered and before the engine hears it. `also` narrows which requests count. Whether the kill landed.
   */
  const killOn = async (f: Front, path: string, when: 'request' | 'answer', delayMs: number, also: () => boolean = () => true): Promise<boolean> => {
    let killed = false;
    const hit = new Promise<void>((fire) => {
      if (when === 'answer') f.onAnswer = async (x) => {
        if (killed || x.path !== path || x.status !== 200 || !engine.alive || !also()) return;
        killed = true;
        await engine.kill();
        fire();
      };
      else f.onRequest = (_m, p) => { if (p === path && also()) void sleep(delayMs).then(fire); };
    });
    const fired = await Promise.race([engine.exited.then(() => false), hit.then(() => true), sleep(PHASE_TIMEOUT_MS).then(() => false)]);
    f.onAnswer = null;
    f.onRequest = null;
    return killed || (fired && (await engine.kill()));
  };
  /** Kills the engine `delayMs` after the wallet shows `inside`, if it still does then (else waits for the next time). */
  const killInside = async (inside: () => boolean, delayMs: number): Promise<boolean> => {
    for (const end = Date.now() + PHASE_TIMEOUT_MS; Date.now() < end;) {
      if (!(await until(inside, end - Date.now()))) return false;
      await sleep(delayMs);
      if (inside()) return engine.kill();
    }
    return false;
  };
  const PHASE_TIMEOUT_MS = 3 * periodSeconds * 1000; // how long a run waits for its phase to come
  const settledPeriod = (p: number) => num("SELECT COUNT(*) AS n FROM settlements WHERE period = ? AND state = 'settled'", p) === 1;

  for (let run = 1; run <= o.runs; run++) {
    const phase = pick(PHASES);
    let at: string | null = null;
    let killed = false;
    const jitter = rng();
    let resolved: () => boolean = () => true;

    if (phase === 'top-up') {
      // The engine's own automatic top-up: quote, mint, split into 1-unit proofs.
      const moment = pick(['quote', 'mint-sent', 'mint-answer-lost', 'split-sent', 'split-answer-lost', 'random']);
      const path = moment.startsWith('mint') ? '/v1/mint/bolt11' : moment.startsWith('split') ? '/v1/swap' : '/v1/mint/quote/bolt11';
      // A swap is the split only while the wallet holds proofs above 1 unit (the UC's swaps pass this front too).
      const split = () => path !== '/v1/swap' || num("SELECT COUNT(*) AS n FROM proofs WHERE state = 'unspent' AND amount > 1") > 0;
      killed = await killOn(mintFront, path, moment.endsWith('answer-lost') ? 'answer' : 'request', jitter * (moment === 'random' ? 400 : 8), split);
      at = `top-up:${moment}`;
      resolved = () => topUpPending() === 0;
    } else if (phase === 'payment') {
      const moment = pick(['in-flight', 'uc-redeeming', 'answer-lost']);
      if (moment === 'in-flight') killed = await killInside(() => inFlightPayments().length > 0, jitter * 60);
      // The UC is swapping a coin at the mint: the engine dies before the UC's answer can reach it.
      else if (moment === 'uc-redeeming') killed = await killOn(mintFront, '/v1/swap', 'request', 0, () => inFlightPayments().length > 0);
      else killed = await killOn(ucFront, '/v1/pay', 'answer', 0);
      at = `payment:${moment}`;
      const ids = inFlightPayments().join(','); // the engine is dead: these are the payments it left open
      resolved = () => ids === '' || num(`SELECT COUNT(*) AS n FROM tokens WHERE id IN (${ids}) AND state NOT IN ('receipted', 'settled')`) === 0;
    } else {
      const moment = pick(['ready', 'sent', 'answer-lost']);
      if (moment === 'ready') killed = await killInside(() => readyPeriods().length > 0, jitter * 15);
      else killed = await killOn(ucFront, '/v1/settle', moment === 'sent' ? 'request' : 'answer', jitter * 5);
      at = `settlement:${moment}`;
      const open = readyPeriods().map((r) => r.period); // ready but not recorded settled when the engine died
      resolved = () => open.every(settledPeriod);
    }
    if (!killed) at = null;

    if (at) {
      kills[phase]++;
      killsAt[at] = (killsAt[at] ?? 0) + 1;
    } else {
      missed++;
      await engine.kill(); // a run always ends with the engine down
    }
    alarms += engine.alarms;
    if (engine.child.exitCode !== null && engine.child.exitCode !== 0) failures.push(`run ${run}: the engine exited by itself (${engine.child.exitCode}): ${engine.stderr.trim().split('\n').pop()}`);
    const pending = at !== null && !resolved(); // else the kill left nothing to finish
    if (at && !pending) nothingLeft++;
    engine = startEngine();
    const ok = await until(resolved, RECOVER_TIMEOUT_MS, 20);
    if (pending && ok) recoverMs.push(Date.now() - engine.startedAt);
    if (at && !ok) failures.push(`run ${run}: ${at} not recovered within ${RECOVER_TIMEOUT_MS / 1000} s${engine.alive ? '' : `: ${engine.stderr.trim().split('\n').pop()}`}`);
    log(`run ${run}/${o.runs}: ${at ?? `${phase}: missed`}${pending && ok ? `, recovered in ${Date.now() - engine.startedAt} ms` : at ? ', nothing left to finish' : ''}`);
    // The engine listens to the meter a while before the next kill: a period's tokens it missed come again only
    // while the carousel still covers that period (until the next one closes).
    await sleep(Math.max(0, MIN_UP_MS - (Date.now() - engine.startedAt)));
  }

  // The end: the engine runs cleanly until every period it saw has closed and settled.
  const lastPeriod = meter.record.state.period;
  await until(() => meter.record.state.period > lastPeriod, (periodSeconds + 5) * 1000, 100);
  const closed = Array.from({ length: meter.record.state.period - firstPeriod }, (_, i) => firstPeriod + i);
  const settledAll = () => closed.every((p) => num("SELECT COUNT(*) AS n FROM settlements WHERE period = ? AND state = 'settled'", p) === 1);
  if (!(await until(settledAll, (2 * periodSeconds + 60) * 1000, 100))) log('not every period settled in time; the checks say which');
  await engine.stop();
  alarms += engine.alarms;
  clearInterval(upkeep);
  await meter.stop();
  db?.close();

  let end: EndChecks;
  try {
    end = await checkEnd({
      periods: closed, meter: keys.meter, walletFile: join(home, 'wallet.sqlite'), mintFile: join(dir, 'mint.sqlite'),
      mintUrl: mintFront.url, adminUrl: servers.adminUrl, adminToken: servers.adminToken,
    });
  } finally {
    await pty.close();
    await servers.close();
    await mintFront.close();
    await ucFront.close();
  }
  // NUT-00: 11001 spent, 11002 pending (a double spend), 11003 outputs already signed (a reused secret).
  const refused = (code: string) => mintFront.refusals.get(code) ?? 0;
  const doubleSpendErrors = { spent: refused('11001'), pending: refused('11002'), outputsSigned: refused('11003') };
  if (doubleSpendErrors.spent + doubleSpendErrors.pending + doubleSpendErrors.outputsSigned > 0)
    failures.push(`the mint refused ${JSON.stringify(doubleSpendErrors)}`);
  const ucRefusals = Object.fromEntries(ucFront.refusals);
  if (ucFront.refusals.has('coin-rejected')) failures.push(`the UC answered coin-rejected ${ucRefusals['coin-rejected']} times`);
  if (alarms > 0) failures.push(`${alarms} alarms from the engine`);
  failures.push(...end.failures);
  return {
    runs: o.runs, seed, kills, killsAt, missed, nothingLeft,
    recoverMs: { n: recoverMs.length, p50: percentile(recoverMs, 0.5), p99: percentile(recoverMs, 0.99), max: Math.max(0, ...recoverMs) },
    periods: end.periods, tokens: end.tokens, coins: end.coins, doublePaid: end.doublePaid, doubleSpendErrors, ucRefusals, alarms,
    wallSeconds: Math.round((Date.now() - t0) / 1000), failures, ok: failures.length === 0,
  };
}
