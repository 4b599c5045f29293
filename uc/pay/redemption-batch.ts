/**
 * Coin redemption, batched (issue 4: "redemption may be batched over a few milliseconds"). Coins arriving within
 * `windowMs` go to the mint in one swap (NUT-03) instead of one swap each; the proofs the UC gets back and the
 * tokens they paid for are stored in one ledger transaction. A swap is atomic at the mint, so when the mint refuses
 * a batch (one spent or forged coin) nothing of it was taken: the batch is split in halves and retried, until the
 * bad coins fail alone and the good ones go through. A refused or unsent coin releases its token's claim here.
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

export interface Redemption {
  proof: Proof;
  /** The token this coin pays for, its claim in the ledger, and the receipt it will be answered with. */
  token: TokenKey & { claim: string; receipt: Uint8Array };
}
export interface BatchOptions {
  windowMs: number;
  maxBatch: number;
  maxInFlight: number;
  timeoutMs: number;
  /** How long a swap's result is held while the ledger database is away before the operator is alarmed (30 s). */
  ledgerRetryMs?: number;
}
/** How the batches went, for the per-stage profile (bench/uc.ts). */
export interface BatchStats { swaps: number; coins: number; refusedSwaps: number; swapMs: number; ledgerMs: number }
/** The part of a cashu-ts wallet a swap needs (MintLink gives the real one). */
export interface SwapWallet {
  receive(proofs: Proof[], config: undefined, outputType: OutputType): Promise<Proof[]>;
  getFeesForProofs(proofs: Proof[]): Amount;
  /** The keyset new proofs are signed with. */
  getKeyset(): { keys: Keys };
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
  readonly stats: BatchStats = { swaps: 0, coins: 0, refusedSwaps: 0, swapMs: 0, ledgerMs: 0 };
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  // A waiter answered once (by its deadline) ignores later answers: a promise settles only once.

  constructor(
    private readonly link: SwapLink,
    private readonly ledger: Ledger,
    private readonly opts: BatchOptions,
    private readonly onLedgerFailure: (err: unknown, coins: number) => void,
  ) {}

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
    while (this.queue.length || this.inFlight.size) {
      this.flush();
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight.size >= this.opts.maxInFlight) return; // the next swap to finish flushes
    const batch = this.queue.splice(0, this.opts.maxBatch);
    if (!batch.length) return;
    const done: Promise<void> = this.redeemBatch(batch).catch((err: unknown) => {
      for (const w of batch) w.reject(new HttpError(500, 'internal', 'the payment failed', { cause: err }));
    }).finally(() => {
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
    await this.fail(dup, refused());
    if (unique.length) await this.swap(unique);
  }

  private async swap(batch: Waiting[]): Promise<void> {
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
      if (!isRefusal(err))
        return this.fail(batch, err instanceof HttpError ? err : new HttpError(503, 'mint-unavailable', 'the mint cannot be reached', { cause: err }));
      this.stats.refusedSwaps++;
      if (batch.length === 1) return this.fail(batch, refused());
      const mid = batch.length >> 1;
      await Promise.all([this.swap(batch.slice(0, mid)), this.swap(batch.slice(mid))]);
      return;
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
      this.onLedgerFailure(err, batch.length);
      for (const w of batch) w.reject(new HttpError(500, 'internal', 'the payment could not be recorded', { cause: err }));
      return;
    } finally {
      this.stats.ledgerMs += performance.now() - t1;
    }
    for (const w of batch) w.resolve();
  }

  /**
   * Stores the proofs and marks the tokens paid. The coins are already spent at the mint, so a database that is away
   * (a failover) is waited for, up to `ledgerRetryMs` (well inside the claims' lease, so no other request takes these
   * tokens meanwhile): the requests are answered 503 at once and their retries find the tokens paid.
   */
  private async record(batch: Waiting[], proofs: Proof[]): Promise<void> {
    const until = Date.now() + (this.opts.ledgerRetryMs ?? 30_000);
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        return await this.ledger.completePayments(batch.map((w) => w.r.token), proofs.map(toWalletProof));
      } catch (err) {
        if (!(err instanceof LedgerUnavailableError) || Date.now() + wait > until) throw err;
        for (const w of batch) w.reject(new HttpError(503, 'ledger-unavailable', 'the payment is being recorded; retry the same token', { cause: err }));
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Nothing of these coins was taken: their tokens' claims are released, then the requests answered. */
  private async fail(batch: Waiting[], err: HttpError): Promise<void> {
    if (!batch.length) return;
    // A release the database refuses is left to the lease, which frees the claim when it runs out.
    await this.ledger.releaseClaims(batch.map((w) => w.r.token)).catch(() => undefined);
    for (const w of batch) w.reject(err);
  }
}

/**
 * The fewest outputs the coins' value allows: its decomposition into the keyset's amounts, largest first (N coins
 * of 1 → one output per bit of N), so the mint's signatures and DLEQ proofs per swap grow with log N, not N.
 */
function fewestOutputs(wallet: SwapWallet, coins: Proof[]): OutputType {
  const value = sumProofs(coins).subtract(wallet.getFeesForProofs(coins));
  return { type: 'random', denominations: splitAmount(value, wallet.getKeyset().keys) };
}

function withoutDleq({ dleq: _dleq, ...proof }: Proof): Proof {
  return proof;
}

function toWalletProof(p: Proof): WalletProof {
  return { id: p.id, amount: Number(p.amount.toString()), secret: p.secret, C: p.C };
}
