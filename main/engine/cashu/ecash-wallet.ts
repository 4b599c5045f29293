/**
 * The household's e-cash (Cashu, through @cashu/cashu-ts): top-up (mint quote → paid → mint, with progress), a
 * stock of 1-unit proofs split ahead of time (never at the moment of a payment, whose timing must not depend on
 * a split), proof-state checks, and the cashuB string of one proof for a payment. Every secret is NUT-13
 * deterministic from the seed phrase; counters live in the wallet database.
 * @module
 */
import { Amount, Mint, type MintQuoteBolt11Response, type Proof, Wallet, getEncodedToken, hasValidDleq } from '@cashu/cashu-ts';
import type { TopUpView } from '../../api/index.js';
import { EngineError, storageError } from '../errors.js';
import type { SocksRoute } from '../route/index.js';
import { type Db, type ProofRecord, type StoredProof, addProofs, coinCounts, getMeta, setMeta, unspentProofs } from '../wallet/index.js';

import { SqliteCounterSource } from './counter-source.js';
import { mintRequest } from './mint-request.js';
import { type PendingOp, beginOp, endOp, pendingOps } from './pending.js';
import { hashToCurve, secp256k1AddonOrNull } from '../../../curve-backends/index.js';
import { restoredProofs, restoreOutputs } from './native-restore.js';
import { bip39Seed } from './seed-phrase.js';
import { type QuoteState, isExpired, noteQuote, setTopUpState as setTopUp, topUpView, waitForPayment } from './top-up.js';

export interface EcashWalletOptions {
  db: Db;
  mintUrl: string;
  unit: string;
  route: () => SocksRoute | null;
  /** How long to wait for a top-up's invoice to be paid. */
  quoteTimeoutMs?: number;
  /** The mint announced other active keysets than those pinned (a rotation, followed). */
  onKeysetRotation?: (from: string[], to: string[]) => void;
}

/** Outputs per swap; the mint's limit is higher, this keeps one request small. */
const SPLIT_BATCH = 256;
/**
 * Proofs from outside the table taken in one request (a pasted token, a melt's inputs): well under the mint's
 * per-request limit, so that held proofs given back are swapped in again in one request too.
 */
export const MAX_SWAP_INPUTS = 256;
/**
 * NUT-09 restore: counters asked per request, and how many empty requests in a row end a keyset. The gap (1,000
 * counters) is wider than any run of counters reserved for outputs the mint never signed (a failed swap: ≤ 256).
 * Making a batch's outputs and checking its signatures is synchronous: on libsecp256k1 (native-restore.ts) a fraction
 * of a millisecond a counter, but about 10 ms a counter in cashu-ts's JS secp256k1 where the addon does not load, and
 * 100 keep the engine answering between two requests there.
 */
const RESTORE_BATCH = 100;
const RESTORE_GAP_BATCHES = 10;
/** NUT-07: Ys asked per request on the native path (this project's mint takes up to 10,000: mint/http/schemas.ts). */
const CHECK_BATCH = 1000;

export interface RestoreScan {
  found: number;
  unspent: ProofRecord[];
  /** Per keyset, the first counter after the range scanned. */
  next: Map<string, number>;
}

export interface RestoreResult {
  /** Proofs the seed's counters made that the mint had signed, and those of them it still counts UNSPENT. */
  found: number;
  unspent: number;
}

export const toRecord = (p: Proof): ProofRecord => ({
  id: p.id, amount: Number(p.amount), secret: p.secret, C: p.C,
  dleq: p.dleq ? { e: p.dleq.e, s: p.dleq.s, ...(p.dleq.r ? { r: String(p.dleq.r) } : {}) } : undefined,
});
export const toProof = (p: ProofRecord): Proof => ({ id: p.id, amount: Amount.from(p.amount), secret: p.secret, C: p.C, ...(p.dleq ? { dleq: p.dleq } : {}) });

const DLEQ_REFUSED = "the mint signed e-cash without a valid DLEQ proof (NUT-12): a mint that can mark this household's coins; they are not counted";

/**
 * The mint's signatures as wallet records, each with a valid NUT-12 DLEQ proof or none taken: without it a mint could
 * sign this household's outputs with a key of its own and know those coins again when the utility redeems them.
 * (cashu-ts checks a DLEQ only when the mint sends one.)
 */
export function signed(w: Wallet, proofs: readonly Proof[]): ProofRecord[] {
  for (const p of proofs) {
    let ok = false;
    try { ok = hasValidDleq(p, w.keyChain.getKeyset(p.id), { require: true }); } catch { /* an unknown keyset or amount: not ok */ }
    if (!ok) throw new EngineError('dleq-invalid', DLEQ_REFUSED);
  }
  return proofs.map(toRecord);
}

export class EcashWallet {
  private wallet: Wallet | null = null;
  /** Unfinished top-ups whose invoice is not paid yet: not asked about again by this process. */
  private readonly unpaidQuotes = new Set<string>();

  constructor(private readonly o: EcashWalletOptions) {}

  get mintUrl(): string { return this.o.mintUrl; }
  get unit(): string { return this.o.unit; }
  get db(): Db { return this.o.db; }

  /** The cashu-ts wallet, loaded through the route on first use (mint info, keysets, keys). */
  async ready(): Promise<Wallet> {
    if (this.wallet) return this.wallet;
    const mint = new Mint(this.o.mintUrl, { customRequest: mintRequest(this.o.route) });
    const w = new Wallet(mint, { unit: this.o.unit, bip39seed: bip39Seed(this.o.db), counterSource: new SqliteCounterSource(this.o.db) });
    await this.wrap(() => w.loadMint());
    this.pinKeysets(w);
    return (this.wallet = w);
  }

  /**
   * The mint's active keyset ids for the unit, pinned (meta 'mint-keysets') at the first contact with this mint. A
   * rotation the mint itself announces in its /v1/keysets is normal: it is followed, and said through onKeysetRotation.
   */
  private pinKeysets(w: Wallet): void {
    const ids = w.keyChain.getKeysets().filter((k) => k.unit === this.o.unit && k.isActive).map((k) => k.id).sort();
    const was = JSON.parse(getMeta(this.o.db, 'mint-keysets') ?? 'null') as { url: string; ids: string[] } | null;
    if (was?.url === this.o.mintUrl && was.ids.join() === ids.join()) return;
    setMeta(this.o.db, 'mint-keysets', JSON.stringify({ url: this.o.mintUrl, ids }));
    if (was?.url === this.o.mintUrl) this.o.onKeysetRotation?.(was.ids, ids);
  }

  /**
   * Buys `units` from the mint: quote, wait until paid (polling, at most `quoteTimeoutMs`), mint; then splits them
   * into 1-unit proofs. A quote not paid in time stays open: it is minted once paid (finishTopUp, recover).
   */
  async topUp(units: number, progress: (p: TopUpView) => void = () => {}): Promise<TopUpView> {
    const { quote, view } = await this.quoteTopUp(units);
    progress(view);
    const paid = await waitForPayment({ check: () => this.quoteState(quote), expiry: view.expiry, timeoutMs: this.o.quoteTimeoutMs ?? 30_000, firstPollMs: 200, maxPollMs: 200 });
    if (paid === 'stopped') throw new EngineError('mint-unreachable', 'the top-up was not paid in time');
    return this.finishTopUp(quote, progress);
  }

  /** Asks the mint for a quote of `units` and notes it, invoice and expiry included, before anyone sees the invoice. */
  async quoteTopUp(units: number): Promise<{ quote: string; view: TopUpView }> {
    if (!Number.isInteger(units) || units <= 0 || units > 1_000_000) throw new EngineError('bad-request', 'top-up units must be a positive integer');
    const w = await this.ready();
    await this.recover(); // an earlier top-up or split cut short is finished first
    const q = await this.wrap(() => w.createMintQuoteBolt11(units));
    noteQuote(this.o.db, { quote: q.quote, request: q.request, expiry: q.expiry ?? null }, units);
    return { quote: q.quote, view: topUpView(this.o.db, q.quote) };
  }

  /** NUT-04: the quote's state at the mint now. */
  async quoteState(quote: string): Promise<QuoteState> {
    const w = await this.ready();
    return (await this.wrap(() => w.checkMintQuoteBolt11(quote))).state as QuoteState;
  }

  /**
   * Ends a noted top-up as far as the mint allows now: paid → minted and split; issued by an earlier run → its outputs
   * restored (recover) and marked minted; unpaid past its expiry → failed; otherwise left waiting. Minted only once:
   * a top-up the wallet already counts as minted is not asked about.
   */
  async finishTopUp(quote: string, progress: (p: TopUpView) => void = () => {}): Promise<TopUpView> {
    const db = this.o.db;
    const before = topUpView(db, quote);
    if (before.state !== 'quoted' && before.state !== 'paid') return before;
    const w = await this.ready();
    const q = await this.wrap(() => w.checkMintQuoteBolt11(quote));
    if (q.state === 'PAID') {
      setTopUp(db, quote, 'paid');
      progress(topUpView(db, quote));
      await this.mintPaid(q, before.units);
      await this.splitStock();
    } else if (q.state === 'ISSUED') {
      await this.recover(); // a note left by a run cut short brings the outputs back
      setTopUp(db, quote, 'minted');
    } else if (isExpired(q.expiry ?? before.expiry)) setTopUp(db, quote, 'failed');
    const view = topUpView(db, quote);
    progress(view);
    return view;
  }

  /** Swaps every unspent proof above 1 unit into 1-unit proofs, ahead of the payments that need them. */
  async splitStock(): Promise<number> {
    const db = this.o.db;
    let made = 0;
    for (;;) {
      const big: StoredProof[] = [];
      let sum = 0;
      for (const p of unspentProofs(db)) {
        if (p.amount === 1 || sum + p.amount > SPLIT_BATCH) continue;
        big.push(p);
        sum += p.amount;
      }
      if (big.length === 0) {
        // A proof larger than a batch (a top-up of 512 or more): a batch of units out of it, the rest kept for the next turn.
        const whole = unspentProofs(db).find((p) => p.amount > SPLIT_BATCH);
        if (!whole) return made;
        big.push(whole);
        sum = SPLIT_BATCH;
      }
      const fresh = await this.noted({ op: 'split', inputs: big.map((p) => p.rowId) }, () => this.swapToUnits(big, sum), (out) => {
        const del = db.prepare("DELETE FROM proofs WHERE id = ? AND state = 'unspent'");
        for (const p of big) if (del.run(p.rowId).changes !== 1) throw new Error('a proof being split changed state');
        addProofs(db, out);
      });
      made += fresh.length;
    }
  }

  /**
   * The first half of rebuilding the e-cash from the seed phrase alone (NUT-13 secrets, NUT-09 restore): for every
   * keyset of the unit, the outputs of counters 0, 1, … in batches until RESTORE_GAP_BATCHES come back empty, and the
   * proofs found that the mint still counts UNSPENT (NUT-07; spent and pending ones are dropped). It writes nothing,
   * so it may run beside the engine's rounds; `storeRestored` stores its result. `progress` gets the counters scanned
   * so far; `pace` is awaited before each request (the caller makes room for its own work there, or throws to stop).
   */
  async scanSeed(progress: (scanned: number) => void, pace: () => Promise<void>): Promise<RestoreScan> {
    const w = await this.ready();
    const found: ProofRecord[] = [];
    const next = new Map<string, number>();
    let scanned = 0;
    const seed = bip39Seed(this.o.db); // once: 2,048 PBKDF2 rounds in JS, which each batch paid before
    for (const keyset of w.keyChain.getKeysets()) {
      let start = 0;
      for (let empty = 0; empty < RESTORE_GAP_BATCHES; start += RESTORE_BATCH) {
        await pace();
        const proofs = await this.restoreBatch(w, seed, keyset.id, start);
        empty = proofs.length === 0 ? empty + 1 : 0;
        found.push(...proofs);
        progress((scanned += RESTORE_BATCH));
      }
      next.set(keyset.id, start);
    }
    return { found: found.length, unspent: found.length === 0 ? [] : await this.unspentOf(found), next };
  }

  /** One NUT-09 request: the proofs the mint signed for counters start … start + RESTORE_BATCH − 1, DLEQ checked. */
  private async restoreBatch(w: Wallet, seed: Uint8Array, keysetId: string, start: number): Promise<ProofRecord[]> {
    const lib = secp256k1AddonOrNull();
    if (!lib) return signed(w, (await this.wrap(() => w.restore(start, RESTORE_BATCH, { keysetId }))).proofs);
    const keyset = await this.wrap(() => w.keyChain.ensureKeysetKeys(keysetId));
    const outputs = restoreOutputs(lib, seed, keysetId, start, RESTORE_BATCH);
    const answer = await this.wrap(() => w.mint.restore({ outputs: outputs.map((o) => ({ amount: Amount.from(0), B_: o.B_, id: keysetId })) }));
    const proofs = restoredProofs(lib, outputs, answer, keyset);
    if (!proofs) throw new EngineError('dleq-invalid', DLEQ_REFUSED);
    return proofs;
  }

  /**
   * Stores a scan's unspent proofs and moves each counter past the range scanned, in one transaction, so no output
   * the mint has seen, signed or not, is made again; `stored` runs inside it (the caller records there that the
   * restore is done: a crash never stores the proofs twice or not at all). Then the stock is split.
   */
  async storeRestored(scan: RestoreScan, stored: (unspent: number) => void): Promise<RestoreResult> {
    const db = this.o.db;
    const counters = new SqliteCounterSource(db);
    db.transaction(() => {
      addProofs(db, scan.unspent);
      for (const [id, n] of scan.next) counters.advanceNow(id, n);
      stored(scan.unspent.length);
    })();
    await this.splitStock();
    return { found: scan.found, unspent: scan.unspent.length };
  }

  /** The ones of `proofs` the mint counts UNSPENT (NUT-07). */
  private async unspentOf(proofs: readonly ProofRecord[]): Promise<ProofRecord[]> {
    const states = await this.statesOf(proofs);
    return proofs.filter((_, i) => states[i] === 'UNSPENT');
  }

  /**
   * Each proof's NUT-07 state, in order. Where libsecp256k1 loads, each Y = hash_to_curve(secret) is computed there
   * and CHECK_BATCH go in a request: cashu-ts's checkProofsStates hashes them all on its JS curve first (a
   * 10,000-proof restore's check: 2.0 s of 84, bench:restore's profile) and asks 100 at a time.
   */
  private async statesOf(proofs: readonly ProofRecord[]): Promise<string[]> {
    const w = await this.ready();
    const lib = secp256k1AddonOrNull();
    if (!lib) return (await this.wrap(() => w.checkProofsStates(proofs.map(toProof)))).map((s) => s.state);
    const encoder = new TextEncoder();
    const Ys = proofs.map((p) => Buffer.from(hashToCurve(lib, encoder.encode(p.secret))).toString('hex'));
    const states: string[] = [];
    for (let i = 0; i < Ys.length; i += CHECK_BATCH) {
      const asked = Ys.slice(i, i + CHECK_BATCH);
      const { states: answer } = await this.wrap(() => w.mint.check({ Ys: asked }));
      const byY = new Map(answer.map((s) => [s.Y, s.state as string]));
      for (const Y of asked) states.push(byY.get(Y) ?? 'UNKNOWN');
    }
    return states;
  }

  /**
   * One payment's coin, if the mint still counts it unspent, swapped into a fresh 1-unit proof; `store` gets it (none
   * when it was spent) inside the transaction that ends the swap's note, to close the caller's own bookkeeping there.
   * One coin per check and per swap: coins of several payments in one request would show the mint (and a utility it
   * talks to) that they are one household's. Returns how many came back.
   */
  async reclaim(coin: ProofRecord, store: (fresh: ProofRecord[]) => void): Promise<number> {
    const spent = await this.spentSecrets([coin]);
    const unspent = spent.has(coin.secret) ? [] : [coin];
    if (unspent.length === 0) {
      this.o.db.transaction(() => store([]))();
      return 0;
    }
    return (await this.noted({ op: 'reclaim', inputs: [] }, () => this.swapToUnits(unspent), store)).length;
  }

  /** Mints a paid quote (noted first: a crash after the mint signed restores the proofs); the top-up is then minted. */
  private async mintPaid(quote: MintQuoteBolt11Response, units: number): Promise<void> {
    const w = await this.ready();
    const db = this.o.db;
    await this.noted({ op: 'mint', inputs: [], quote: quote.quote },
      async () => signed(w, await this.wrap(() => w.ops.mintBolt11(units, quote).asDeterministic(0).run())),
      (proofs) => { addProofs(db, proofs); setTopUp(db, quote.quote, 'minted'); });
  }

  /**
   * One request that creates e-cash, its note written first (pending.ts; `alsoNow` in the note's transaction);
   * `store` and the note's end are one transaction.
   */
  private async noted(op: Omit<PendingOp, 'counters'>, send: () => Promise<ProofRecord[]>, store: (fresh: ProofRecord[]) => void, alsoNow?: () => void): Promise<ProofRecord[]> {
    const db = this.o.db;
    const key = beginOp(db, { ...op, counters: await new SqliteCounterSource(db).snapshot() }, alsoNow);
    const fresh = await send();
    db.transaction(() => { store(fresh); endOp(db, key); })();
    return fresh;
  }

  /**
   * Finishes what a crash (or a lost answer) cut short: each noted request's outputs come back from the counters
   * reserved since its note (NUT-09; the ones the mint counts unspent and the wallet lacks are stored), its inputs
   * the mint spent are dropped; a top-up whose quote is paid is minted, one already issued is marked minted (its
   * outputs came back with its note); the stock is split. Asks the mint nothing when there is nothing to finish.
   * Returns whether there was.
   */
  async recover(): Promise<boolean> {
    const db = this.o.db;
    const ops = pendingOps(db);
    const quotes = (db.prepare("SELECT quote, units FROM top_ups WHERE state IN ('quoted', 'paid')").all() as { quote: string; units: number }[])
      .filter((q) => !this.unpaidQuotes.has(q.quote));
    const unsplit = db.prepare("SELECT 1 FROM proofs WHERE state = 'unspent' AND amount > 1 LIMIT 1").get() !== undefined;
    if (ops.length === 0 && quotes.length === 0 && !unsplit) return false;
    const w = await this.ready();
    for (const { key, op } of ops) {
      const found: ProofRecord[] = [];
      for (const [keysetId, next] of Object.entries(await new SqliteCounterSource(db).snapshot()))
        for (let start = op.counters[keysetId] ?? 0; start < next; start += RESTORE_BATCH) {
          const count = Math.min(RESTORE_BATCH, next - start);
          found.push(...signed(w, (await this.wrap(() => w.restore(start, count, { keysetId }))).proofs));
        }
      const inputs = unspentProofs(db).filter((p) => op.inputs.includes(p.rowId));
      const held = op.held ?? [];
      const all = [...found, ...inputs, ...held];
      const states = all.length === 0 ? new Map<string, string>() : await this.proofStates(all);
      if (held.some((p) => states.get(p.secret) === 'PENDING')) continue; // a melt still paying: asked again next time
      const spent = (p: ProofRecord) => states.get(p.secret) === 'SPENT';
      const back = held.filter((p) => states.get(p.secret) === 'UNSPENT'); // never swapped, or a melt that failed
      const known = db.prepare('SELECT 1 FROM proofs WHERE secret = ?');
      db.transaction(() => {
        addProofs(db, found.filter((p) => !spent(p) && known.get(p.secret) === undefined));
        const del = db.prepare("DELETE FROM proofs WHERE id = ? AND state = 'unspent'");
        for (const p of inputs) if (spent(p)) del.run(p.rowId);
        if (back.length === 0) endOp(db, key);
      })();
      if (back.length > 0) await this.swapIn(back, () => endOp(db, key)); // its own note replaces this one
    }
    for (const { quote, units } of quotes) {
      const q = await this.wrap(() => w.checkMintQuoteBolt11(quote));
      if (q.state === 'PAID') await this.mintPaid(q, units);
      else if (q.state === 'ISSUED') setTopUp(db, quote, 'minted');
      else if (q.expiry !== null && q.expiry * 1000 < Date.now()) setTopUp(db, quote, 'failed');
      else this.unpaidQuotes.add(quote); // the user may still pay it; asked again at the next start
    }
    await this.splitStock();
    return true;
  }

  /** One NUT-03 swap of `proofs` into `units` 1-unit proofs (all of them by default) and the rest, all deterministic. */
  private async swapToUnits(proofs: readonly ProofRecord[], units = proofs.reduce((s, p) => s + p.amount, 0)): Promise<ProofRecord[]> {
    const w = await this.ready();
    const { send, keep } = await this.wrap(() =>
      w.ops.send(units, proofs.map(toProof)).asDeterministic(0, Array(units).fill(1)).keepAsDeterministic(0).run());
    return signed(w, [...send, ...keep]);
  }

  /** Which of these proofs the mint already counts as spent (NUT-07), by secret. */
  async spentSecrets(proofs: readonly ProofRecord[]): Promise<Set<string>> {
    const states = await this.proofStates(proofs);
    return new Set(proofs.filter((p) => states.get(p.secret) === 'SPENT').map((p) => p.secret));
  }

  /** Each proof's NUT-07 state at the mint (UNSPENT, PENDING, SPENT), by secret. */
  async proofStates(proofs: readonly ProofRecord[]): Promise<Map<string, string>> {
    const states = await this.statesOf(proofs);
    return new Map(proofs.map((p, i) => [p.secret, states[i] ?? 'UNKNOWN']));
  }

  /**
   * Proofs from outside the wallet's table (a pasted token, a melt's inputs given back) swapped at once for fresh
   * deterministic ones (NUT-03, DLEQ checked), so whoever else holds them cannot spend them; noted first with the
   * proofs themselves, so a crash redoes the swap or restores its outputs. Returns the fresh proofs, stored.
   */
  async swapIn(proofs: readonly ProofRecord[], alsoNow?: () => void): Promise<ProofRecord[]> {
    const w = await this.ready();
    return this.noted({ op: 'receive', inputs: [], held: [...proofs] },
      async () => signed(w, await this.wrap(() => w.ops.receive(proofs.map(toProof)).asDeterministic(0).run())),
      (fresh) => addProofs(this.o.db, fresh), alsoNow);
  }

  /** The one-proof cashuB token string a payment carries. */
  encodeCoin(p: ProofRecord): string {
    return getEncodedToken({ mint: this.o.mintUrl, unit: this.o.unit, proofs: [toProof(p)] }, { removeDleq: true });
  }

  /** Runs a mint request, its failure told as an EngineError (the route's own reason, a DLEQ refusal, storage, or the mint's). */
  async wrap<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      // cashu-ts may wrap what the route threw (e.g. 'proxy-refused'), or a wallet write that failed (its
      // counters): that inner reason is the one to tell.
      for (let c: unknown = e; c instanceof Error; c = c.cause) {
        if (c instanceof EngineError) throw c;
        if (/DLEQ verification failed/.test(c.message)) throw new EngineError('dleq-invalid', DLEQ_REFUSED, { cause: e }); // cashu-ts: a DLEQ sent, and wrong
      }
      const s = storageError(e);
      if (s) throw s;
      throw new EngineError('mint-unreachable', 'the mint refused or failed the request', { cause: e });
    }
  }
}
