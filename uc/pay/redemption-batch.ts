/**
 * Coin redemption, batched (issue 4: "redemption may be batched over a few milliseconds"). Coins arriving within
 * `windowMs` go to the mint in one swap (NUT-03) instead of one swap each; the proofs the UC gets back and the
 * tokens they paid for are stored in one ledger transaction. A swap is atomic at the mint, so when the mint refuses
 * a batch (one spent or forged coin) nothing of it was taken. The refused batch then leaves the main line, so the
 * payments arriving meanwhile are not held behind it, and its bad coins are isolated beside it, at most
 * `maxIsolating` swaps at once: one NUT-07 state check names the spent coins (refused at once), the rest is swapped
 * again, and if the mint still refuses (a forged coin), it is split in halves until the bad coins fail alone (at most
 * 2n − 1 swaps for n coins). A refused or unsent coin releases its token's claim here; a refused one is reported
 * (`coinRefused`) so that its token backs off.
 *
 * At most `maxInFlight` swaps run at once (the UC uses 1); coins arriving meanwhile wait and go together in the
 * next one, so the batches grow with the load (each swap costs the mint and the UC a fixed price for its outputs,
 * so bigger is cheaper).
 *
 * A mint slower than `timeoutMs` gets the waiting requests a 503, but the swap goes on: if it completes, the tokens
 * are recorded paid and a retry of the same token gets its receipt; if it fails, the claims are released.
 * @module
 */
import { HttpResponseError, MintOperationError, NetworkError, splitAmount, sumProofs, type Amount, type Keys, type OutputType, type Proof } from '@cashu/cashu-ts';
import { HttpError } from '../errors.js';
import { LedgerUnavailableError, type Ledger, type TokenKey, type WalletProof } from '../ledger/index.js';
import { Slots } from '../limits/slots.js';
import { nativeOutputs } from './native-outputs.js';

export interface Redemption {
  proof: Proof;
  /** The token this coin pays for, its claim in the ledger, and the receipt it will be answered with. */
  token: TokenKey & { claim: string; receipt: Uint8Array };
}
export interface BatchOptions {
  windowMs: number;
  maxBatch: number;
  maxInFlight: number;
  /** Swaps and state checks at once for isolating the bad coins of refused batches, beside the main line. */
  maxIsolating: number;
  timeoutMs: number;
  /** How long a swap's result is held while the ledger database is away before the operator is alarmed (30 s). */
  ledgerRetryMs?: number;
}
export interface BatchHooks {
  /** Coins redeemed at the mint that the ledger did not record: the operator must know. */
  ledgerFailure(err: unknown, coins: number): void;
  /** The mint refused this token's coin (alone or by its state). */
  coinRefused(token: TokenKey): void;
}
/** How the batches went, for the per-stage profile (bench/uc.ts). */
export interface BatchStats { swaps: number; coins: number; refusedSwaps: number; stateChecks: number; swapMs: number; ledgerMs: number }
/** The part of a cashu-ts wallet a swap needs (MintLink gives the real one). */
export interface SwapWallet {
  receive(proofs: Proof[], config: undefined, outputType: OutputType): Promise<Proof[]>;
  getFeesForProofs(proofs: Proof[]): Amount;
  /** The keyset new proofs are signed with. */
  getKeyset(): { id: string; keys: Keys };
  /** NUT-07: each coin's state at the mint, in order. */
  checkProofsStates(proofs: Proof[]): Promise<{ state: string }[]>;
}
export interface SwapLink { ready(): Promise<SwapWallet> }

interface Waiting { r: Redemption; resolve: () => void; reject: (e: unknown) => void }

const refused = () => new HttpError(402, 'coin-rejected', 'the mint refused the coin (spent or not genuine)');
const slow = () =>
  new HttpError(503, 'mint-unavailable', 'the mint has not answered yet; retry the same token: it is paid or released meanwhile');

/** A refusal is the mint's answer about the coins; anything else (network, 5xx) says nothing about them. */
function isRefusal(err: unknown): boolean {
  if (err instanceof MintOperationError) return true;
  if (err instanceof NetworkError) return false;
  if (err instanceof HttpResponseError) return err.status >= 400 && err.status < 500;
  return !(err instanceof HttpError);
}

export class RedemptionBatch {
  readonly stats: BatchStats = { swaps: 0, coins: 0, refusedSwaps: 0, stateChecks: 0, swapMs: 0, ledgerMs: 0 };
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly isolating = new Set<Promise<void>>();
  private readonly isolation: Slots;
  // A waiter answered once (by its deadline) ignores later answers: a promise settles only once.

  constructor(
    private readonly link: SwapLink,
    private readonly ledger: Ledger,
    private readonly opts: BatchOptions,
    private readonly hooks: BatchHooks,
  ) {
    this.isolation = new Slots(opts.maxIsolating);
  }

  /** Resolves once the coin is the UC's and the token is recorded paid; rejects with an HttpError otherwise. */
  redeem(r: Redemption): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => this.expire(w), this.opts.timeoutMs);
      const w: Waiting = {
        r,
        resolve: () => (clearTimeout(deadline), resolve()),
        reject: (e) => (clearTimeout(deadline), reject(e)),
      };
      this.queue.push(w);
      if (this.queue.length >= this.opts.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.windowMs);
    });
  }

  /** A coin still queued was never sent: its claim is released. One at the mint goes on without its request. */
  private expire(w: Waiting): void {
    const queued = this.queue.indexOf(w);
    if (queued < 0) return w.reject(slow());
    this.queue.splice(queued, 1);
    void this.fail([w], new HttpError(503, 'mint-unavailable', 'the mint is too busy; the coin was not used, retry'));
  }

  /** Sends what is queued and waits for every swap under way. */
  async drain(): Promise<void> {
    while (this.queue.length || this.inFlight.size || this.isolating.size) {
      this.flush();
      await Promise.allSettled([...this.inFlight, ...this.isolating]);
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight.size >= this.opts.maxInFlight) return; // the next swap to finish flushes
    const batch = this.queue.splice(0, this.opts.maxBatch);
    if (!batch.length) return;
    const done: Promise<void> = this.redeemBatch(batch).catch(internal(batch)).finally(() => {
      this.inFlight.delete(done);
      if (this.queue.length) this.flush();
    });
    this.inFlight.add(done);
  }

  private async redeemBatch(batch: Waiting[]): Promise<void> {
    // The same coin twice in one batch: the mint would refuse the whole swap; the later copies fail right here.
    const seen = new Set<string>();
    const dup: Waiting[] = [];
    const unique = batch.filter((w) => (seen.has(w.r.proof.secret) ? (dup.push(w), false) : (seen.add(w.r.proof.secret), true)));
    await this.refuse(dup);
    if (unique.length && (await this.swap(unique)) === 'refused') this.isolate(unique);
  }

  /** Isolates the bad coins of a refused batch beside the main line, which goes on meanwhile. */
  private isolate(batch: Waiting[]): void {
    const done: Promise<void> = this.spentFirst(batch).catch(internal(batch)).finally(() => this.isolating.delete(done));
    this.isolating.add(done);
  }

  /** Spent coins are the cheap poison: one state check names them all; the rest is swapped again. */
  private async spentFirst(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.refuse(batch);
    let states: { state: string }[] | undefined;
    try {
      const wallet = await this.link.ready();
      states = await this.isolation.run(() => wallet.checkProofsStates(batch.map((w) => w.r.proof)));
      this.stats.stateChecks++;
    } catch {
      // Without the states, halving finds the bad coins all the same.
    }
    const unspent = states ? batch.filter((_, i) => states[i]?.state === 'UNSPENT') : batch;
    await this.refuse(batch.filter((w) => !unspent.includes(w)));
    if (unspent.length === batch.length) return this.halve(unspent); // nothing spent: a forged coin is among them
    if (unspent.length && (await this.isolated(unspent)) === 'refused') await this.halve(unspent);
  }

  /** Each half alone, concurrently; a refused half is halved again, down to single coins that fail alone. */
  private async halve(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.refuse(batch);
    const mid = batch.length >> 1;
    await Promise.all([batch.slice(0, mid), batch.slice(mid)].map(async (half) => {
      if ((await this.isolated(half)) === 'refused') await this.halve(half);
    }));
  }

  private async isolated(batch: Waiting[]): Promise<'done' | 'refused'> {
    return this.isolation.run(() => this.swap(batch));
  }

  /**
   * One swap of the whole batch, and the ledger record of what it paid. A refusal answers 'refused' and leaves the
   * waiters for the caller to isolate; anything else answers them.
   */
  private async swap(batch: Waiting[]): Promise<'done' | 'refused'> {
    let proofs: Proof[];
    const t0 = performance.now();
    try {
      const wallet = await this.link.ready();
      // Without the DLEQ proofs: the mint checks each coin's signature itself in this swap, so checking the DLEQ here
      // would only repeat that, at several secp256k1 multiplications per coin (measured: 15.7 → 6.1 ms per coin).
      const coins = batch.map((w) => withoutDleq(w.r.proof));
      proofs = await wallet.receive(coins, undefined, fewestOutputs(wallet, coins));
    } catch (err) {
      this.stats.swapMs += performance.now() - t0;
      if (isRefusal(err)) {
        this.stats.refusedSwaps++;
        return 'refused';
      }
      await this.fail(batch, err instanceof HttpError ? err : new HttpError(503, 'mint-unavailable', 'the mint cannot be reached', { cause: err }));
      return 'done';
    }
    const t1 = performance.now();
    this.stats.swaps++;
    this.stats.coins += batch.length;
    this.stats.swapMs += t1 - t0;
    try {
      await this.record(batch, proofs);
    } catch (err) {
      // The coins are spent at the mint but the ledger did not take the proofs: the operator must know. The claims
      // stay pending (nothing can be released that was paid for) until their lease runs out.
      this.hooks.ledgerFailure(err, batch.length);
      for (const w of batch) w.reject(new HttpError(500, 'internal', 'the payment could not be recorded', { cause: err }));
      return 'done';
    } finally {
      this.stats.ledgerMs += performance.now() - t1;
    }
    for (const w of batch) w.resolve();
    return 'done';
  }

  /** The mint refused these coins: their tokens back off, their claims are released. */
  private async refuse(batch: Waiting[]): Promise<void> {
    if (!batch.length) return; // most batches have no duplicate: no error made (its stack costs) for nobody
    for (const w of batch) this.hooks.coinRefused(w.r.token);
    await this.fail(batch, refused());
  }

  /**
   * Stores the proofs and marks the tokens paid. The coins are already spent at the mint, so a database that is away
   * (a failover) is waited for, up to `ledgerRetryMs` (well inside the claims' lease, so no other request takes these
   * tokens meanwhile): the requests are answered 503 at once and their retries find the tokens paid.
   */
  private record(batch: Waiting[], proofs: Proof[]): Promise<void> {
    return this.whenLedgerBack(
      () => this.ledger.completePayments(batch.map((w) => w.r.token), proofs.map(toWalletProof)),
      (err) => { for (const w of batch) w.reject(new HttpError(503, 'ledger-unavailable', 'the payment is being recorded; retry the same token', { cause: err })); },
    );
  }

  /**
   * Gives up these claims. A database that is away (a failover) gets the release again once it is back, so that the
   * tokens are not held for the whole lease (a minute of 409s for every retry of them: the longest stretch without
   * service in the failover test); `away` is told of each miss. A release refused otherwise is left to the lease.
   */
  releaseClaims(claims: (TokenKey & { claim: string })[], away: () => void = () => {}): Promise<void> {
    return this.whenLedgerBack(() => this.ledger.releaseClaims(claims), away).catch(() => undefined);
  }

  /** Nothing of these coins was taken: their tokens' claims are released, then the requests answered. */
  private async fail(batch: Waiting[], err: HttpError): Promise<void> {
    if (!batch.length) return;
    let answered = false;
    const answer = () => { if (!answered) { answered = true; for (const w of batch) w.reject(err); } };
    // While the database is away the requests are answered at once, and the release goes on behind them.
    await this.releaseClaims(batch.map((w) => w.r.token), answer);
    answer();
  }

  /**
   * `write` again while the ledger database is away (LedgerUnavailableError), with growing pauses, for up to
   * `ledgerRetryMs`; `away` is told of each miss. Any other error, or the bound passed, is thrown.
   */
  private async whenLedgerBack<T>(write: () => Promise<T>, away: (err: LedgerUnavailableError) => void): Promise<T> {
    const until = Date.now() + (this.opts.ledgerRetryMs ?? 30_000);
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        return await write();
      } catch (err) {
        if (!(err instanceof LedgerUnavailableError) || Date.now() + wait > until) throw err;
        away(err);
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/**
 * The fewest outputs the coins' value allows: its decomposition into the keyset's amounts, largest first (N coins
 * of 1 → one output per bit of N), so the mint's signatures and DLEQ proofs per swap grow with log N, not N. They
 * are made and unblinded on libsecp256k1 where it loads (native-outputs.ts), else by cashu-ts.
 */
export function fewestOutputs(wallet: SwapWallet, coins: Proof[]): OutputType {
  const value = sumProofs(coins).subtract(wallet.getFeesForProofs(coins));
  const keyset = wallet.getKeyset();
  const denominations = splitAmount(value, keyset.keys);
  const data = nativeOutputs(denominations, keyset.id);
  return data ? { type: 'custom', data } : { type: 'random', denominations };
}

const internal = (batch: Waiting[]) => (err: unknown) => {
  for (const w of batch) w.reject(new HttpError(500, 'internal', 'the payment failed', { cause: err }));
};

function withoutDleq({ dleq: _dleq, ...proof }: Proof): Proof {
  return proof;
}

function toWalletProof(p: Proof): WalletProof {
  return { id: p.id, amount: Number(p.amount.toString()), secret: p.secret, C: p.C };
}
