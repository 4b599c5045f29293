/**
 * A mint request that creates e-cash, cut short after (or before) the mint acted: the wallet's note (pending.ts)
 * lets a restarted wallet (a new EcashWallet on the same database) finish it without losing a unit and without
 * offering the mint a spent proof again. The lost answer is real: the mint commits, then its socket is destroyed
 * instead of answering.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMint } from '../../../mint/index.js';
import { startSocksHop } from '../socks-hop/index.js';
import { checkInvariants, coinCounts, openWalletDb, unspentProofs } from '../wallet/index.js';
import { EcashWallet } from './index.js';
import { cutAnswers } from '../../../test/support/mint-cuts.js';
import { pendingOps } from './pending.js';

/** The mint; `cut(path, when)` makes its next request to `path` lose its answer (after) or never reach it (before). */
async function setup() {
  const mint = await createMint({ dbPath: ':memory:' });
  const mintUrl = await mint.listen(0, '127.0.0.1');
  const cut = cutAnswers(mint);
  const hop = await startSocksHop();
  const db = openWalletDb(':memory:');
  onTestFinished(async () => { db.close(); await hop.close(); await mint.close(); });
  const wallet = () => new EcashWallet({ db, mintUrl, unit: mint.unit, route: () => hop });
  return { db, wallet, cut };
}

async function expectWhole(db: ReturnType<typeof openWalletDb>, restarted: EcashWallet, units: number) {
  expect(coinCounts(db)).toEqual({ balance: units, stock: units, reserved: 0, spent: 0 });
  expect((await restarted.spentSecrets(unspentProofs(db))).size).toBe(0); // every proof it counts is unspent at the mint
  expect(pendingOps(db)).toEqual([]);
  expect(db.prepare("SELECT COUNT(*) AS n FROM top_ups WHERE state <> 'minted'").get()).toEqual({ n: 0 });
  checkInvariants(db);
}

describe('a mint request cut short is finished after a restart', () => {
  it('the split: the mint swapped, the answer was lost; the new proofs come back and the spent inputs go', async () => {
    const { db, wallet, cut } = await setup();
    cut('/v1/swap', 'after');
    await expect(wallet().topUp(21)).rejects.toMatchObject({ code: 'mint-unreachable' });
    expect(pendingOps(db).map((p) => p.op.op)).toEqual(['split']);
    expect(unspentProofs(db).some((p) => p.amount > 1)).toBe(true); // the minted proofs, spent at the mint by now
    const restarted = wallet();
    expect(await restarted.recover()).toBe(true);
    await expectWhole(db, restarted, 21);
    await restarted.topUp(3); // and the next top-up splits without offering a spent proof again
    await expectWhole(db, restarted, 24);
  });

  it('the mint: the quote was redeemed, the answer was lost; the proofs come back from the seed', async () => {
    const { db, wallet, cut } = await setup();
    cut('/v1/mint/bolt11', 'after');
    await expect(wallet().topUp(13)).rejects.toMatchObject({ code: 'mint-unreachable' });
    expect(coinCounts(db).balance).toBe(0);
    const restarted = wallet();
    expect(await restarted.recover()).toBe(true);
    await expectWhole(db, restarted, 13);
  });

  it('the mint: the quote was paid but the request never arrived; the restarted wallet mints it', async () => {
    const { db, wallet, cut } = await setup();
    cut('/v1/mint/bolt11', 'before');
    await expect(wallet().topUp(9)).rejects.toMatchObject({ code: 'mint-unreachable' });
    const restarted = wallet();
    expect(await restarted.recover()).toBe(true);
    await expectWhole(db, restarted, 9);
    expect(await restarted.recover()).toBe(false); // nothing left: no request to the mint
  });
});
