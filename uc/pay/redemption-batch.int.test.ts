// The UC's swaps at the real mint over HTTP (its MintLink, a real cashu-ts wallet): N one-unit coins in, one output
// per bit of N (after the mint's input fee) out, and the UC keeps exactly those proofs, which the mint takes again
// (made and unblinded on libsecp256k1, native-outputs.ts).
import { Amount, getDecodedToken, sumProofs, Wallet, type Proof } from '@cashu/cashu-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { createMint, type Mint } from '../../mint/index.js';
import { mintCoins } from '../../scripts/uc-fixture.js';
import { openLedger, type Ledger, type WalletProof } from '../ledger/index.js';
import { MintLink } from './mint-link.js';
import { RedemptionBatch } from './redemption-batch.js';

const hooks = { ledgerFailure: () => undefined, coinRefused: () => undefined };
let mint: Mint | undefined;
let ledger: Ledger | undefined;
afterEach(async () => {
  await ledger?.close();
  await mint?.close();
});

/**
 * Redeems `n` fresh coins of 1 in one swap (the batch flushes when the n-th arrives); answers what the UC holds.
 * Proofs of powers of two that add up to v number at least popcount(v), and exactly that only as v's binary digits.
 */
async function redeem(n: number, inputFeePpk: number): Promise<{ amount: number; proofs: number }> {
  mint = await createMint({ dbPath: ':memory:', inputFeePpk });
  const url = await mint.listen(0, '127.0.0.1');
  const wallet = new Wallet(url, { unit: mint.unit });
  await wallet.loadMint();
  const coins: Proof[] = (await mintCoins(wallet, n)).map((t) => getDecodedToken(t, wallet.keyChain.getAllKeysetIds()).proofs[0]!);
  ledger = await openLedger({ sqlite: ':memory:' });
  await ledger.addSet({ set: 1, tokenPublicKey: new Uint8Array(33) });
  await ledger.openPeriod(1);
  const kept: WalletProof[] = [];
  const complete = ledger.completePayments.bind(ledger);
  ledger.completePayments = (items, proofs) => (kept.push(...proofs), complete(items, proofs));
  const batch = new RedemptionBatch(new MintLink(url, mint.unit), ledger, { windowMs: 60_000, maxBatch: n, maxInFlight: 1, maxIsolating: 4, timeoutMs: 60_000 }, hooks);
  await Promise.all(coins.map(async (proof, i) => {
    const key = { set: 1, period: 1, T: new Uint8Array(48).fill(i + 1) };
    const claim = await ledger!.claimToken(key, `claim-${i}`, Date.now(), 60_000);
    if (claim.kind !== 'claimed') throw new Error(claim.kind);
    await batch.redeem({ proof, token: { ...key, claim: claim.claim, receipt: new Uint8Array(48) } });
  }));
  expect(batch.stats).toMatchObject({ swaps: 1, coins: n, refusedSwaps: 0 });
  // Genuine coins: the mint swaps the UC's proofs once more (it checks C == k·hash_to_curve(secret) for each).
  const inputs: Proof[] = kept.map((p) => ({ ...p, amount: Amount.from(p.amount) }));
  const again = await wallet.receive(inputs);
  expect(sumProofs(again).toNumber()).toBe(sumProofs(inputs).subtract(wallet.getFeesForProofs(inputs)).toNumber());
  return ledger.walletBalance();
}

describe('the UC at the real mint', () => {
  it('swaps 13 coins of 1 for 8 + 4 + 1', async () => {
    expect(await redeem(13, 0)).toEqual({ amount: 13, proofs: 3 });
  });

  it('with an input fee of 100 ppk, 13 coins pay 2 and come back as 8 + 2 + 1', async () => {
    expect(await redeem(13, 100)).toEqual({ amount: 11, proofs: 3 });
  });

  it('swaps 64 coins of 1 for one proof of 64', async () => {
    expect(await redeem(64, 0)).toEqual({ amount: 64, proofs: 1 });
  });
});
