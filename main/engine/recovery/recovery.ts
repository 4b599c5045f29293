/**
 * Rebuilding a lost wallet (docs/engine.md §Recovery). The e-cash comes back from the seed phrase (NUT-09 restore of
 * every proof its NUT-13 counters made, kept if the mint counts it unspent), the tokens from the meter's carousel
 * through the normal ingest, and the receipts of tokens paid before the loss from the UC without a coin
 * (receipts.ts). Only tokens of periods up to the horizon, the latest period open at the UC when the recovery began,
 * are held and looked up: a later period was never payable before the loss. The recovery is over when the e-cash is
 * restored and every period up to the horizon that the wallet holds is settled; until then its state lives in the
 * wallet's meta table, so a crash during a recovery resumes it.
 * @module
 */
import type { RecoveryView } from '../../api/index.js';
import { type EcashWallet, type RestoreScan, isValidSeedPhrase } from '../cashu/index.js';
import { EngineError } from '../errors.js';
import { getParams } from '../pay/index.js';
import { type Db, getMeta, holdScheduled, releaseHeld, setMeta, settlementOf } from '../wallet/index.js';
import { type LookupContext, askReceipts } from './receipts.js';

const KEY = 'recovery';
/** Held tokens looked up per round. */
const LOOKUP_BATCH = 256;

interface Saved {
  state: RecoveryView['state'];
  startedAt: string;
  finishedAt: string | null;
  /** The latest period open at the UC when the recovery began; null until the UC answered. */
  horizon: number | null;
  /** Unspent proofs restored; null until the restore is stored. */
  proofs: number | null;
  /** The name the damaged wallet file was set aside under, if it was. */
  setAside: string | null;
}

export interface RecoveryStep extends LookupContext {
  ecash: EcashWallet;
}

const nowIso = () => new Date().toISOString();

/** Nothing of this wallet's own is at stake: no e-cash, no payment, no receipt, no counter used. */
function pristine(db: Db): boolean {
  const r = db.prepare(`SELECT (SELECT COUNT(*) FROM proofs) + (SELECT COUNT(*) FROM payments) + (SELECT COUNT(*) FROM receipts)
      + (SELECT COUNT(*) FROM top_ups) + (SELECT COUNT(*) FROM cashu_counters) AS n`).get() as { n: number };
  return r.n === 0;
}

export class Recovery {
  private last = '';
  /** The NUT-09 scan, running beside the rounds (it writes nothing); a round stores its result. */
  private scan: { running: Promise<void>; result?: RestoreScan; error?: unknown } | null = null;
  private scanned = 0;
  private closed = false;
  /** A lookup round is under way: the scan's synchronous batches wait, so the lookups' I/O is not starved. */
  private lookingUp = false;

  private constructor(private readonly db: Db, private saved: Saved, private readonly changed: (v: RecoveryView) => void) {}

  /** The recovery recorded in this wallet, if any. */
  static load(db: Db, changed: (v: RecoveryView) => void): Recovery | null {
    const raw = getMeta(db, KEY);
    return raw === null ? null : new Recovery(db, JSON.parse(raw) as Saved, changed);
  }

  /** The wallet file was damaged and set aside: the window asks for the seed phrase (`restoreWallet`). */
  static needed(db: Db, setAside: string, changed: (v: RecoveryView) => void): Recovery {
    const r = new Recovery(db, { state: 'needed', startedAt: nowIso(), finishedAt: null, horizon: null, proofs: null, setAside }, changed);
    r.save({});
    return r;
  }

  /**
   * Starts rebuilding from `words` in this wallet, which must hold nothing of its own yet (a new one, or the fresh
   * one that replaced a damaged file). The same phrase again resumes the recovery under way.
   */
  static begin(db: Db, words: readonly string[], changed: (v: RecoveryView) => void): Recovery {
    const phrase = Array.isArray(words) ? words.map((w) => String(w).trim().toLowerCase()).join(' ') : '';
    if (!isValidSeedPhrase(phrase))
      throw new EngineError('bad-request', 'these words are not a seed phrase (12 BIP-39 words with their checksum)');
    const existing = Recovery.load(db, changed);
    if (existing && existing.saved.state !== 'needed' && getMeta(db, 'seed-phrase') === phrase) return existing;
    if (!pristine(db))
      throw new EngineError('bad-request', 'this wallet already holds e-cash or payments of its own: a seed phrase can only be restored into a new wallet');
    const at = nowIso();
    const r = new Recovery(db, { state: 'restoring', startedAt: at, finishedAt: null, horizon: null, proofs: null, setAside: existing?.saved.setAside ?? null }, changed);
    db.transaction(() => {
      setMeta(db, 'seed-phrase', phrase);
      setMeta(db, 'seed-phrase-shown', at); // the user has it: it is not shown again
      setMeta(db, 'backed-up', at);
      holdScheduled(db); // tokens heard before the phrase was given may have been paid before the loss
      r.save({});
    })();
    r.announce();
    return r;
  }

  /** Whether a token of `period` heard now is held for a receipt lookup instead of being scheduled. */
  holds(period: number): boolean {
    return this.saved.state === 'restoring' && (this.saved.horizon === null || period <= this.saved.horizon);
  }

  /** True until the restored e-cash is stored: no top-up may use a counter before the counters are restored. */
  get proofsPending(): boolean {
    return this.saved.state === 'restoring' && this.saved.proofs === null;
  }

  /**
   * One round: learn the horizon, start the e-cash scan or store its result, look up the held tokens that are due;
   * then the recovery is over if nothing of the periods under way is left. Throws what stopped it (the next round
   * goes on from there). The scan (a request per 100 counters; minutes for 10,000 proofs where only JS secp256k1 loads) runs beside the rounds, so receipts come
   * back and the period can settle meanwhile: settling needs receipts, not coins.
   */
  async step(ctx: RecoveryStep, now: string): Promise<void> {
    if (this.saved.state !== 'restoring') return;
    try {
      if (this.saved.horizon === null) {
        const { openPeriods } = await getParams(ctx.route, ctx.ucUrl);
        const horizon = openPeriods.length === 0 ? -1 : Math.max(...openPeriods);
        this.db.transaction(() => { releaseHeld(this.db, horizon); this.save({ horizon }); })();
      }
      if (this.saved.proofs === null) await this.restoreProofs(ctx.ecash);
      this.lookingUp = true;
      const round = await askReceipts(ctx, now, LOOKUP_BATCH).finally(() => { this.lookingUp = false; });
      if (round.blockedBy) throw new EngineError(round.blockedBy, 'receipt lookups wait for the utility');
      if (this.over()) this.save({ state: 'restored', finishedAt: nowIso() });
    } finally {
      this.announce();
    }
  }

  private async restoreProofs(ecash: EcashWallet): Promise<void> {
    if (this.scan === null) {
      const scan: NonNullable<Recovery['scan']> = { running: Promise.resolve() };
      scan.running = ecash.scanSeed((n) => { this.scanned = n; }, () => this.pace())
        .then((r) => { scan.result = r; }, (e: unknown) => { scan.error = e; });
      this.scan = scan;
      return;
    }
    const { result, error } = this.scan;
    if (error !== undefined) {
      this.scan = null; // started again next round
      throw error;
    }
    if (result === undefined) return;
    await ecash.storeRestored(result, (proofs) => this.save({ proofs }));
    this.scan = null;
  }

  private async pace(): Promise<void> {
    while (this.lookingUp && !this.closed) await new Promise((r) => setTimeout(r, 20));
    if (this.closed) throw new EngineError('state-conflict', 'the recovery was closed');
  }

  /** Stops a scan under way (the engine is closing); resolves when it has. */
  async close(): Promise<void> {
    this.closed = true;
    await this.scan?.running;
  }

  private over(): boolean {
    const { horizon, proofs } = this.saved;
    if (horizon === null || proofs === null || this.held() > 0) return false;
    const periods = this.db.prepare('SELECT period FROM tokens WHERE period <= ? UNION SELECT period FROM bills WHERE period <= ?')
      .all(horizon, horizon) as { period: number }[];
    return periods.length > 0 && periods.every((p) => settlementOf(this.db, p.period)?.state === 'settled');
  }

  private held(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM tokens WHERE state = 'received' AND due_at IS NOT NULL").get() as { n: number }).n;
  }

  view(): RecoveryView {
    const { state, horizon, proofs, setAside } = this.saved;
    const count = (q: string, ...a: number[]) => (this.db.prepare(q).get(...a) as { n: number }).n;
    const tokens = horizon === null ? count('SELECT COUNT(*) AS n FROM tokens') : count('SELECT COUNT(*) AS n FROM tokens WHERE period <= ?', horizon);
    const held = this.held();
    const message = state === 'needed'
      ? `The wallet file was damaged and set aside as ${setAside}. Enter your seed phrase to restore your e-cash.`
      : state !== 'restoring' ? null
      : horizon === null ? 'Asking the utility which periods are open.'
      : proofs === null ? `Restoring the e-cash from the mint (${this.scanned} counters of the seed scanned).`
      : held > 0 ? `Asking the utility for the receipts of ${held} tokens.`
      : 'Waiting for the meter to send the tokens again, and for the periods under way to settle.';
    return {
      state, proofs: proofs ?? 0, tokens, receipts: count('SELECT COUNT(*) AS n FROM receipts WHERE recovered = 1'),
      startedAt: this.saved.startedAt, finishedAt: this.saved.finishedAt, message,
    };
  }

  private save(change: Partial<Saved>): void {
    this.saved = { ...this.saved, ...change };
    setMeta(this.db, KEY, JSON.stringify(this.saved));
  }

  /** A 'recovery' event when the view changed. */
  announce(): void {
    const v = this.view();
    const key = JSON.stringify(v);
    if (key === this.last) return;
    this.last = key;
    this.changed(v);
  }
}
