/**
 * E-cash from elsewhere and money out, against the project's mint over real HTTP through the SOCKS hop, the wallet
 * and the mint's ledger in real SQLite files: a pasted token (cashuA, cashuB) swapped at once, another mint's token
 * refused, a token received twice refused; a melt with its fee reserve and change; and requests whose answer is lost
 * (the mint commits, its socket is destroyed) or that never arrive, finished by a restarted wallet without loss and
 * without counting anything twice.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEncodedToken, hashToCurve } from '@cashu/cashu-ts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMint, type MintOptions } from '../../../mint/index.js';
import { fetchCall, mintProofs } from '../../../mint/test-wallet.js';
import { startSocksHop } from '../socks-hop/index.js';
import { checkInvariants, coinCounts, openWalletDb, unspentProofs } from '../wallet/index.js';
import { EcashWallet, quoteWithdraw, receiveEcash, withdraw } from './index.js';
import { cutAnswers } from '../../../test/support/mint-cuts.js';
import { pendingOps } from './pending.js';


async function setup(o: Partial<MintOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-money-out-'));
  const hop = await startSocksHop();
  const closers: (() => Promise<void> | void)[] = [() => hop.close()];
  onTestFinished(async () => { for (const c of closers.reverse()) await c(); rmSync(dir, { recursive: true, force: true }); });
  const startMint = async (name: string, more: Partial<MintOptions> = {}) => {
    const mint = await createMint({ dbPath: join(dir, `${name}.sqlite`), ...more });
    const url = await mint.listen(0, '127.0.0.1');
    closers.push(() => mint.close());
    return { mint, url, cut: cutAnswers(mint) };
  };
  const ours = await startMint('mint', o);
  const db = openWalletDb(join(dir, 'wallet.sqlite'));
  closers.push(() => void db.close());
  const net = { up: true }; // down: the route refuses (fail closed), as with the proxy gone
  const wallet = () => new EcashWallet({ db, mintUrl: ours.url, unit: ours.mint.unit, route: () => (net.up ? hop : null) });
  /** A sender elsewhere: proofs minted straight at `url`, as a cashuB token. */
  const tokenOf = async (url: string, amounts: number[]) => {
    const proofs = await mintProofs(fetchCall(url), amounts);
    return { proofs, cashuB: getEncodedToken({ mint: url, unit: 'sat', proofs: proofs.map((p) => ({ ...p, amount: BigInt(p.amount) })) as never }) };
  };
  return { db, ours, wallet, tokenOf, startMint, net };
}

/** The proxy goes away (the route refuses) as the mint gets its next request to `path`: what follows never leaves. */
function dropAfter(mint: { mint: { app: { server: import('node:http').Server } } }, path: string, net: { up: boolean }) {
  let armed = true;
  mint.mint.app.server.prependListener('request', (req: IncomingMessage) => { if (armed && req.url === path) { armed = false; net.up = false; } });
}

/** The wallet's unspent proofs are exactly what the mint counts unspent of them, nothing is noted, the books hold. */
async function expectSettled(db: ReturnType<typeof openWalletDb>, ecash: EcashWallet, balance: number) {
  expect(coinCounts(db).balance).toBe(balance);
  expect(coinCounts(db).stock).toBe(balance); // split into 1-unit proofs ahead of payments
  if (balance > 0) expect((await ecash.spentSecrets(unspentProofs(db))).size).toBe(0);
  expect(pendingOps(db)).toEqual([]);
  checkInvariants(db);
}

describe('receive a pasted Cashu token', () => {
  it('cashuB: swapped at once (the sender cannot spend it again); the same token again is refused as spent', async () => {
    const { db, wallet, tokenOf, ours } = await setup();
    const { proofs, cashuB } = await tokenOf(ours.url, [4, 2, 1]);
    expect(cashuB.startsWith('cashuB')).toBe(true);
    const ecash = wallet();
    expect(await receiveEcash(ecash, `  ${cashuB}\n`)).toBe(7);
    await expectSettled(db, ecash, 7);
    expect(unspentProofs(db).some((p) => proofs.some((q) => q.secret === p.secret))).toBe(false); // fresh secrets, ours
    const Ys = proofs.map((p) => hashToCurve(new TextEncoder().encode(p.secret)).toHex(true));
    const { body } = await fetchCall(ours.url)('POST', '/v1/checkstate', { Ys });
    expect(body.states.map((st: { state: string }) => st.state)).toEqual(['SPENT', 'SPENT', 'SPENT']); // the sender's copy is worthless now
    await expect(receiveEcash(ecash, cashuB)).rejects.toMatchObject({ code: 'token-spent', message: expect.stringMatching(/already spent/) });
    await expectSettled(db, ecash, 7); // not counted twice
  });

  it('cashuA (the older JSON format) is taken too', async () => {
    const { db, wallet, tokenOf, ours } = await setup();
    const { proofs } = await tokenOf(ours.url, [8, 1]);
    const cashuA = `cashuA${Buffer.from(JSON.stringify({ token: [{ mint: ours.url, proofs }], unit: 'sat' })).toString('base64url')}`;
    const ecash = wallet();
    expect(await receiveEcash(ecash, cashuA)).toBe(9);
    await expectSettled(db, ecash, 9);
  });

  it("another mint's token is refused with its URL shown, and that mint is never contacted", async () => {
    const { db, wallet, tokenOf, startMint } = await setup();
    const other = await startMint('other');
    const { cashuB } = await tokenOf(other.url, [2]);
    let contacted = 0;
    other.mint.app.server.on('request', () => contacted++);
    await expect(receiveEcash(wallet(), cashuB)).rejects.toMatchObject({ code: 'other-mint', message: expect.stringContaining(other.url) });
    expect(contacted).toBe(0);
    expect(coinCounts(db).balance).toBe(0);
  });

  it('text that is no token is a bad request, said plainly', async () => {
    const { wallet } = await setup();
    await expect(receiveEcash(wallet(), 'hello')).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/cashuA or cashuB/) });
    await expect(receiveEcash(wallet(), 'cashuBnotbase64!!')).rejects.toMatchObject({ code: 'bad-request' });
  });

  for (const when of ['answer lost', 'never sent'] as const) {
    it(`a swap ${when === 'answer lost' ? 'whose answer was lost' : 'that never left'}: the restarted wallet ${when === 'answer lost' ? 'restores its outputs from the seed' : 'redoes it'}, once`, async () => {
      const { db, wallet, tokenOf, ours, net } = await setup();
      const { cashuB } = await tokenOf(ours.url, [4, 1]);
      if (when === 'answer lost') ours.cut('/v1/swap', 'after');
      else dropAfter(ours, '/v1/checkstate', net); // the proxy goes after the token's check
      await expect(receiveEcash(wallet(), cashuB)).rejects.toMatchObject({ code: when === 'answer lost' ? 'mint-unreachable' : 'proxy-refused' });
      net.up = true;
      expect(pendingOps(db).map((p) => p.op.op)).toEqual(['receive']);
      expect(coinCounts(db).balance).toBe(0);
      const restarted = wallet();
      expect(await restarted.recover()).toBe(true);
      await expectSettled(db, restarted, 5);
      await expect(receiveEcash(restarted, cashuB)).rejects.toMatchObject({ code: 'token-spent' });
      expect(await restarted.recover()).toBe(false);
      await expectSettled(db, restarted, 5);
    });
  }
});

describe('withdraw to Lightning (NUT-05 melt, NUT-08 change)', () => {
  /** A Lightning invoice of `amount` from a node elsewhere (another mint's FakeLightning, waiting to be paid). */
  const invoiceOf = async (startMint: Awaited<ReturnType<typeof setup>>['startMint'], amount: number) => {
    const payee = await startMint('payee', { fakePay: 'manual' });
    const { body } = await fetchCall(payee.url)('POST', '/v1/mint/quote/bolt11', { amount, unit: 'sat' });
    return { request: body.request as string };
  };

  it('shows amount and fee reserve first; pays; the unused reserve comes back as change and is counted', async () => {
    const { db, wallet, startMint, ours } = await setup({ fakeFeeReserve: 5, fakeRoutingFee: 2 });
    const ecash = wallet();
    await ecash.topUp(30);
    const invoice = await invoiceOf(startMint, 10);
    const q = await quoteWithdraw(ecash, invoice.request);
    expect(q).toMatchObject({ amount: 10, feeReserve: 5, balance: 30 });
    expect(Date.parse(q.expiresAt)).toBeGreaterThan(Date.now());
    expect(coinCounts(db).balance).toBe(30); // a quote spends nothing
    const done = await withdraw(ecash, q.quote);
    expect(done).toEqual({ state: 'paid', amount: 10, feePaid: 2, change: 3, balance: 18 });
    expect((await fetchCall(ours.url)('GET', `/v1/melt/quote/bolt11/${q.quote}`)).body).toMatchObject({ state: 'PAID', amount: 10, fee_reserve: 5 });
    await expectSettled(db, ecash, 18); // 30 − 10 − 2: money conserved, the wallet agrees with the mint
    await expect(withdraw(ecash, q.quote)).rejects.toMatchObject({ code: 'withdraw-failed', message: expect.stringMatching(/already paid/) });
    await expectSettled(db, ecash, 18);
  });

  it('more than the wallet holds: wallet-empty, nothing spent; not an invoice: bad-request', async () => {
    const { db, wallet, startMint } = await setup();
    const ecash = wallet();
    await ecash.topUp(5);
    const q = await quoteWithdraw(ecash, (await invoiceOf(startMint, 10)).request);
    await expect(withdraw(ecash, q.quote)).rejects.toMatchObject({ code: 'wallet-empty', message: expect.stringMatching(/holds 5; this invoice needs 12/) });
    await expect(quoteWithdraw(ecash, 'lnbc')).rejects.toMatchObject({ code: 'bad-request' });
    await expect(withdraw(ecash, 'no such quote')).rejects.toMatchObject({ code: 'bad-request' });
    await expectSettled(db, ecash, 5);
  });

  it("the melt's answer was lost: the same call finishes it from the mint's books, change counted once", async () => {
    const { db, wallet, startMint, ours } = await setup({ fakeFeeReserve: 4, fakeRoutingFee: 1 });
    const ecash = wallet();
    await ecash.topUp(20);
    const q = await quoteWithdraw(ecash, (await invoiceOf(startMint, 6)).request);
    ours.cut('/v1/melt/bolt11', 'after');
    expect(await withdraw(ecash, q.quote)).toEqual({ state: 'paid', amount: 6, feePaid: 1, change: 3, balance: 13 });
    await expectSettled(db, ecash, 13);
  });

  it('a crash after the melt left (answer lost, then no contact): the inputs stay out of the balance; a restarted wallet restores the change once', async () => {
    const { db, wallet, startMint, ours } = await setup({ fakeFeeReserve: 4, fakeRoutingFee: 1 });
    await wallet().topUp(20);
    const ecash = wallet();
    const q = await quoteWithdraw(ecash, (await invoiceOf(startMint, 6)).request);
    ours.cut('/v1/melt/bolt11', 'after');
    ours.cut('/v1/checkstate', 'before'); // the recovery in the same call cannot reach the mint either: as if the engine died here
    await expect(withdraw(ecash, q.quote)).rejects.toMatchObject({ code: 'mint-unreachable' });
    expect(pendingOps(db).map((p) => p.op.op)).toEqual(['melt']);
    expect(coinCounts(db).balance).toBeLessThan(20 - 6); // the inputs are held in the note, never offered twice
    const restarted = wallet();
    expect(await restarted.recover()).toBe(true);
    await expectSettled(db, restarted, 13); // 20 − 6 − 1
    expect(await restarted.recover()).toBe(false);
    await expectSettled(db, restarted, 13);
  });

  it('a melt that never left (the proxy went away after the note): the restarted wallet swaps its inputs back in, nothing lost', async () => {
    const { db, wallet, startMint, ours, net } = await setup();
    await wallet().topUp(20);
    const ecash = wallet();
    const q = await quoteWithdraw(ecash, (await invoiceOf(startMint, 6)).request);
    // withdraw reads the quote again; the proxy goes away while the mint answers, before the melt is sent
    dropAfter(ours, `/v1/melt/quote/bolt11/${q.quote}`, net);
    await expect(withdraw(ecash, q.quote)).rejects.toMatchObject({ code: 'proxy-refused' });
    expect(pendingOps(db).map((p) => p.op.op)).toEqual(['melt']);
    expect((await fetchCall(ours.url)('GET', `/v1/melt/quote/bolt11/${q.quote}`)).body.state).toBe('UNPAID');
    net.up = true;
    const restarted = wallet();
    expect(await restarted.recover()).toBe(true);
    await expectSettled(db, restarted, 20);
  });
});

describe('the wallet process killed while the mint pays its melt', () => {
  it('SIGKILL mid-melt: the inputs were out of the balance; a new process restores the change once, money conserved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-melt-kill-'));
    const hop = await startSocksHop();
    const mint = await createMint({ dbPath: join(dir, 'mint.sqlite'), fakeFeeReserve: 4, fakeRoutingFee: 1, fakeMeltDelayMs: 4000 });
    const mintUrl = await mint.listen(0, '127.0.0.1');
    const payee = await createMint({ dbPath: ':memory:', fakePay: 'manual' });
    const payeeUrl = await payee.listen(0, '127.0.0.1');
    const file = join(dir, 'wallet.sqlite');
    let db = openWalletDb(file);
    onTestFinished(async () => { db.close(); await hop.close(); await payee.close(); await mint.close(); rmSync(dir, { recursive: true, force: true }); });
    const wallet = () => new EcashWallet({ db, mintUrl, unit: mint.unit, route: () => hop });
    await wallet().topUp(20);
    const { body: invoice } = await fetchCall(payeeUrl)('POST', '/v1/mint/quote/bolt11', { amount: 6, unit: 'sat' });
    const q = await quoteWithdraw(wallet(), invoice.request);
    db.close();

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/withdraw-child.ts', file, mintUrl, mint.unit, q.quote], { stdio: 'inherit' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const meltState = async () => (await fetchCall(mintUrl)('GET', `/v1/melt/quote/bolt11/${q.quote}`)).body.state as string;
    await expect.poll(meltState, { timeout: 60_000, interval: 50 }).toBe('PENDING'); // the mint holds the inputs and pays
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    db = openWalletDb(file);
    expect(pendingOps(db).map((p) => p.op.op)).toEqual(['melt']);
    expect(coinCounts(db).balance).toBeLessThanOrEqual(20 - 6 - 4); // the inputs left the balance with the note
    await expect.poll(meltState, { timeout: 60_000, interval: 100 }).toBe('PAID');
    const restarted = wallet();
    expect(await restarted.recover()).toBe(true);
    await expectSettled(db, restarted, 13); // 20 − 6 − 1: the change of 3 counted once
    expect(await restarted.recover()).toBe(false);
  });
});
