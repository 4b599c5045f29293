import { Amount, MintOperationError, NetworkError, type OutputType, type Proof } from '@cashu/cashu-ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LedgerUnavailableError, openLedger, type Ledger } from '../ledger/index.js';
import { RedemptionBatch, type SwapWallet } from './redemption-batch.js';

/** A mint stand-in with the one behaviour batching relies on: a swap is all or nothing. Keyset amounts 1 … 2^maxOrder. */
class FakeMint implements SwapWallet {
  spent = new Set<string>();
  /** Coins whose signature is not the mint's: refused in a swap, yet UNSPENT by their state. */
  forged = new Set<string>();
  stateChecks = 0;
  /** While held, a state check waits until `openStates()`. */
  private statesHeld: Promise<void> | undefined;
  private releaseStates = () => {};
  holdStates(): void {
    this.statesHeld = new Promise((r) => (this.releaseStates = r));
  }
  openStates(): void {
    this.statesHeld = undefined;
    this.releaseStates();
  }
  async checkProofsStates(proofs: Proof[]): Promise<{ state: string }[]> {
    this.stateChecks++;
    await this.statesHeld;
    return proofs.map((p) => ({ state: this.spent.has(p.secret) ? 'SPENT' : 'UNSPENT' }));
  }
  swaps: number[] = [];
  /** The output amounts asked for, per swap. */
  outputs: number[][] = [];
  feePerSwap = 0;
  maxOrder = 10;
  failWith: Error | undefined;
  /** While held, a swap waits at the mint until `open()`: tests order events by this, never by timers. */
  private held: Promise<void> | undefined;
  private release = () => {};
  arrived: Promise<void> = Promise.resolve();
  private arrive = () => {};
  hold(): void {
    this.held = new Promise((r) => (this.release = r));
    this.arrived = new Promise((r) => (this.arrive = r));
  }
  open(): void {
    this.held = undefined;
    this.release();
  }
  async receive(proofs: Proof[], _config: undefined, outputType: OutputType): Promise<Proof[]> {
    this.swaps.push(proofs.length);
    const amounts = (outputType.type === 'custom' ? outputType.data.map((o) => o.blindedMessage.amount) : outputType.type === 'random' ? outputType.denominations ?? [] : []).map(Number);
    this.outputs.push(amounts);
    if (this.held) {
      this.arrive();
      await this.held;
    }
    if (this.failWith) throw this.failWith;
    if (proofs.some((p) => this.spent.has(p.secret))) throw new MintOperationError(11001, 'Token already spent.');
    if (proofs.some((p) => this.forged.has(p.secret))) throw new MintOperationError(10003, 'proof verification failed');
    for (const p of proofs) this.spent.add(p.secret);
    return amounts.map((a, i) => ({ id: '00ab', amount: Amount.from(a), secret: `uc-${this.swaps.length}-${i}`, C: '02cc' }));
  }
  getFeesForProofs(): Amount {
    return Amount.from(this.feePerSwap);
  }
  getKeyset() {
    return { id: '00ab', keys: Object.fromEntries(Array.from({ length: this.maxOrder + 1 }, (_, i) => [2 ** i, '02' + 'cc'.repeat(32)])) };
  }
}

const coin = (secret: string): Proof => ({ id: '00ab', amount: Amount.from(1), secret, C: '02aa', dleq: { e: '01', s: '02' } });
const T = (i: number) => new Uint8Array(48).fill(i);

let ledger: Ledger;
let mint: FakeMint;
let batch: RedemptionBatch;
const failures: number[] = [];
let backedOff: number[] = [];
const hooks = {
  ledgerFailure: (_e: unknown, n: number) => failures.push(n),
  coinRefused: (t: { T: Uint8Array }) => backedOff.push(t.T[0]!),
};
const options = { windowMs: 5, maxBatch: 64, maxInFlight: 1, maxIsolating: 4, timeoutMs: 1_000 };

beforeEach(async () => {
  ledger = await openLedger({ sqlite: ':memory:' });
  await ledger.addSet({ set: 1, tokenPublicKey: new Uint8Array(33) });
  await ledger.openPeriod(1);
  mint = new FakeMint();
  backedOff = [];
  failures.length = 0;
  batch = new RedemptionBatch({ ready: async () => mint }, ledger, options, hooks);
});
afterEach(async () => {
  await batch.drain();
  await ledger.close();
});

/** Claims token i and hands `secret` to the batch: `queued` once it waits there, `outcome` when it is answered. */
function send(i: number, secret: string): { queued: Promise<void>; outcome: Promise<'paid' | string> } {
  const key = { set: 1, period: 1, T: T(i) };
  const claimed = ledger.claimToken(key, `claim-${i}-${secret}`, Date.now(), 60_000);
  const outcome = claimed.then((claim) => {
    if (claim.kind !== 'claimed') return claim.kind;
    return batch.redeem({ proof: coin(secret), token: { ...key, claim: claim.claim, receipt: T(100 + i) } }).then(
      () => 'paid',
      (e: { code: string }) => e.code,
    );
  });
  return { queued: claimed.then(() => undefined), outcome }; // redeem queues synchronously once the claim is in
}
const pay = (i: number, secret: string) => send(i, secret).outcome;

describe('RedemptionBatch', () => {
  it('sends coins that arrive together as one swap, records them in one go, and strips the DLEQ', async () => {
    const seen: Proof[][] = [];
    const receive = mint.receive.bind(mint);
    mint.receive = (proofs, config, outputType) => (seen.push(proofs), receive(proofs, config, outputType));
    expect(await Promise.all([1, 2, 3, 4, 5].map((i) => pay(i, `s${i}`)))).toEqual(Array(5).fill('paid'));
    expect(mint.swaps).toEqual([5]);
    expect(seen[0]!.every((p) => p.dleq === undefined)).toBe(true);
    expect(await ledger.walletBalance()).toEqual({ amount: 5, proofs: 2 }); // 4 + 1
    expect(await ledger.receipt({ set: 1, period: 1, T: T(3) })).toEqual(T(103));
  });

  it('asks for the fewest outputs: one per bit of the swap\'s value, after the mint\'s fee', async () => {
    const swapOf = async (n: number, from: number) => {
      await Promise.all(Array.from({ length: n }, (_, i) => pay(from + i, `c${from + i}`)));
      return mint.outputs.at(-1);
    };
    expect(await swapOf(1, 0)).toEqual([1]);
    expect(await swapOf(7, 10)).toEqual([4, 2, 1]);
    expect(await swapOf(8, 20)).toEqual([8]);
    expect(await swapOf(64, 100)).toEqual([64]);
    mint.feePerSwap = 1;
    expect(await swapOf(12, 200)).toEqual([8, 2, 1]);
    // Beyond the keyset's largest amount, several of it.
    mint.feePerSwap = 0;
    mint.maxOrder = 3;
    expect(await swapOf(21, 300)).toEqual([8, 8, 4, 1]);
    expect(await ledger.walletBalance()).toMatchObject({ amount: 1 + 7 + 8 + 64 + 11 + 21 });
  });

  it('names spent coins by one state check, refuses them, swaps the rest again, and backs their tokens off', async () => {
    mint.spent.add('bad');
    mint.spent.add('worse');
    const out = await Promise.all([pay(1, 'a'), pay(2, 'bad'), pay(3, 'c'), pay(4, 'd'), pay(5, 'worse')]);
    expect(out).toEqual(['paid', 'coin-rejected', 'paid', 'paid', 'coin-rejected']);
    expect(mint.swaps).toEqual([5, 3]);
    expect(mint.stateChecks).toBe(1);
    expect(backedOff.sort()).toEqual([2, 5]);
    expect(await ledger.walletBalance()).toMatchObject({ amount: 3 });
    expect(await pay(2, 'fresh')).toBe('paid'); // the claim was released
  });

  it('isolates a forged coin (unspent by its state) by halving, at most 2n − 1 swaps', async () => {
    mint.forged.add('forged');
    const secrets = ['a', 'b', 'c', 'forged', 'e', 'f', 'g', 'h'];
    const out = await Promise.all(secrets.map((s, i) => pay(i + 1, s)));
    expect(out).toEqual(secrets.map((s) => (s === 'forged' ? 'coin-rejected' : 'paid')));
    // 8 refused; 4 (a–forged) refused, 4 (e–h) paid; 2 (a,b) paid, 2 (c,forged) refused; 1 (c) paid, 1 refused.
    expect(mint.swaps).toEqual([8, 4, 4, 2, 2, 1, 1]);
    expect(backedOff).toEqual([4]);
    expect(await ledger.walletBalance()).toMatchObject({ amount: 7 });
  });

  it('does not hold the coins arriving after a refused batch behind its isolation', async () => {
    mint.spent.add('bad');
    mint.holdStates();
    const poisoned = [pay(1, 'a'), pay(2, 'bad')];
    await vi.waitUntil(() => mint.stateChecks === 1); // the refused batch is being isolated, its state check held
    expect(await pay(3, 'c')).toBe('paid');
    mint.openStates();
    expect(await Promise.all(poisoned)).toEqual(['paid', 'coin-rejected']);
    expect(mint.swaps).toEqual([2, 1, 1]);
  });

  it('lets coins that arrive during a swap wait, and sends them together in the next one', async () => {
    mint.hold();
    const first = pay(1, 'a');
    await mint.arrived; // the first swap is at the mint now
    const rest = [2, 3, 4, 5].map((i) => send(i, `s${i}`));
    await Promise.all(rest.map((r) => r.queued));
    mint.open();
    expect(await Promise.all([first, ...rest.map((r) => r.outcome)])).toEqual(Array(5).fill('paid'));
    expect(mint.swaps).toEqual([1, 4]);
  });

  it('refuses the second copy of a coin within one batch without asking the mint', async () => {
    expect(await Promise.all([pay(1, 'same'), pay(2, 'same')])).toEqual(['paid', 'coin-rejected']);
    expect(mint.swaps).toEqual([1]);
  });

  it('answers mint-unavailable when the mint cannot be reached, and releases the claims', async () => {
    mint.failWith = new NetworkError('connection refused');
    expect(await Promise.all([pay(1, 'a'), pay(2, 'b')])).toEqual(['mint-unavailable', 'mint-unavailable']);
    mint.failWith = undefined;
    expect(await pay(1, 'a')).toBe('paid');
  });

  it('answers a slow mint with 503 but records the payment when the swap completes', async () => {
    batch = new RedemptionBatch({ ready: async () => mint }, ledger, { ...options, windowMs: 1, timeoutMs: 20 }, hooks);
    mint.hold();
    const first = pay(1, 'a');
    await mint.arrived; // the first coin is at the mint, which does not answer within the 20 ms deadline
    const queued = send(2, 'b'); // waits behind it (one swap in flight) until its own deadline
    expect([await first, await queued.outcome]).toEqual(['mint-unavailable', 'mint-unavailable']);
    // The queued coin was never sent: its token is free again. The one at the mint stays claimed until the swap ends.
    expect(await ledger.claimToken({ set: 1, period: 1, T: T(2) }, 'retry', Date.now(), 60_000)).toMatchObject({ kind: 'claimed' });
    expect(await ledger.claimToken({ set: 1, period: 1, T: T(1) }, 'retry', Date.now(), 60_000)).toEqual({ kind: 'pending' });
    mint.open();
    await batch.drain();
    expect(await ledger.receipt({ set: 1, period: 1, T: T(1) })).toEqual(T(101));
    expect(mint.swaps).toEqual([1]);
    expect(failures).toEqual([]);
  });

  it('holds a swapped batch while the database fails over: 503 at once, recorded paid when it is back', async () => {
    const complete = ledger.completePayments.bind(ledger);
    let away = 2;
    ledger.completePayments = async (...args) => {
      if (away-- > 0) throw new LedgerUnavailableError({ cause: new Error('Connection terminated unexpectedly') });
      return complete(...args);
    };
    expect(await Promise.all([pay(1, 'a'), pay(2, 'b')])).toEqual(['ledger-unavailable', 'ledger-unavailable']);
    await batch.drain();
    // Both coins went to the mint once, and both tokens are paid: their retries get the receipts.
    expect(mint.swaps).toEqual([2]);
    expect(await ledger.receipt({ set: 1, period: 1, T: T(2) })).toEqual(T(102));
    expect(await ledger.claimToken({ set: 1, period: 1, T: T(1) }, 'retry', Date.now(), 60_000)).toEqual({ kind: 'paid', receipt: T(101) });
    expect(await ledger.walletBalance()).toMatchObject({ amount: 2 });
    expect(failures).toEqual([]);
  });

  it('a claim whose release meets the failover is released once the database is back, not held for the lease', async () => {
    mint.hold();
    const first = pay(1, 'a');
    await mint.arrived; // one swap in flight: the next coin waits behind it until its own deadline
    const release = ledger.releaseClaims.bind(ledger);
    let away = 2;
    ledger.releaseClaims = async (...args) => {
      if (away-- > 0) throw new LedgerUnavailableError({ cause: new Error('Connection terminated unexpectedly') });
      return release(...args);
    };
    const queued = send(2, 'b');
    expect(await queued.outcome).toBe('mint-unavailable'); // answered at once, the database still away
    expect(await ledger.claimToken({ set: 1, period: 1, T: T(2) }, 'retry', Date.now(), 60_000)).toEqual({ kind: 'pending' });
    await vi.waitFor(() => expect(away).toBeLessThan(0), { timeout: 2_000 });
    // Released on the third try (100 + 200 ms later), well inside the minute's lease: a retry takes the token.
    expect(await ledger.claimToken({ set: 1, period: 1, T: T(2) }, 'retry', Date.now(), 60_000)).toMatchObject({ kind: 'claimed' });
    mint.open();
    expect(await first).toBe('mint-unavailable'); // its deadline passed at the mint; the swap went on
    await batch.drain();
    expect(await ledger.receipt({ set: 1, period: 1, T: T(1) })).toEqual(T(101));
    expect(mint.swaps).toEqual([1]);
    expect(failures).toEqual([]);
  });

  it('alarms the operator when the database stays away longer than the retry bound', async () => {
    batch = new RedemptionBatch({ ready: async () => mint }, ledger, { ...options, windowMs: 1, ledgerRetryMs: 300 }, hooks);
    ledger.completePayments = async () => { throw new LedgerUnavailableError(); };
    expect(await pay(1, 'a')).toBe('ledger-unavailable');
    await batch.drain();
    expect(failures).toEqual([1]);
  });
});
