import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMint } from '../../../mint/index.js';
import { billGen, bytesToHex, newMeterState, p256PublicKey, tokenGen, type MeterState, type Token } from '../../../protocol/index.js';
import { registerMeter } from '../../../scripts/demo-stack.js';
import { p256SecretKey } from '../../../scripts/uc-fixture.js';
import { newReceiptKey, startUc } from '../../../uc/index.js';
import type { EngineEvent } from '../../api/index.js';
import { EcashWallet } from '../cashu/index.js';
import { createEngine, startSocksHop } from '../index.js';
import { payToken } from '../pay/index.js';
import { checkInvariants, coinCounts, openWalletDb, receiveToken, scheduleToken, startPayment, unspentProofs } from '../wallet/index.js';
import { TEST_WALLET_KEY, testUnlock } from '../../../scripts/test-wallet-key.js';


/** Mint, UC (its request lines captured: method and path only) and the SOCKS hop on loopback; a meter of set 1. */
async function stack() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-recovery-'));
  const mint = await createMint({ dbPath: join(dir, 'mint.sqlite') });
  const mintUrl = await mint.listen(0, '127.0.0.1');
  const paths: string[] = [];
  const stream = new Writable({ write(chunk, _e, cb) { for (const l of chunk.toString().split('\n')) { const u = /"url":"([^"]+)"/.exec(l)?.[1]; if (u && l.includes('incoming request')) paths.push(u); } cb(); } });
  const adminToken = randomBytes(16).toString('hex');
  const uc = await startUc({ ledger: { sqlite: join(dir, 'uc.sqlite') }, receiptKey: newReceiptKey(), mint: { url: mintUrl, unit: mint.unit }, adminToken, logger: { level: 'info', stream } });
  const hop = await startSocksHop();
  onTestFinished(async () => { await hop.close(); await uc.close(); await mint.close(); rmSync(dir, { recursive: true, force: true }); });
  const setKey = p256SecretKey();
  const billKey = p256SecretKey();
  await registerMeter(uc.adminUrl, adminToken, { meter: 'M-REC', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1]);
  let meter: MeterState = newMeterState('M-REC', 1, 1, new Uint8Array(randomBytes(32)));
  const made: Token[] = [];
  const emit = (n: number) => Array.from({ length: n }, () => { const g = tokenGen(meter, setKey); meter = g.state; made.push(g.token); return g.token; });
  const home = join(dir, 'home');
  const open = (restoreSeed?: string[]) => createEngine({
    unlock: testUnlock,
    dataDir: home, ucUrl: uc.url, socks: { ...hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 3_600_000, ...(restoreSeed ? { restoreSeed } : {}),
  });
  const lookups = () => paths.filter((p) => p === '/v1/receipt').length;
  /** The UC's own e-cash, as its admin API reports it: one unit per coin it took. */
  const ucCoins = async () => ((await (await fetch(new URL('/admin/v1/wallet', uc.adminUrl), { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { amount: number }).amount;
  return { dir, home, mint, mintUrl, uc, hop, emit, made, bill: () => billGen(meter, 1, billKey), open, lookups, ucCoins };
}

type Stack = Awaited<ReturnType<typeof stack>>;

/**
 * A period paid in part: 4 tokens paid by the engine, a 5th whose answer was lost in a crash (the UC took its coin,
 * the wallet holds it reserved). Answers the seed phrase and the wallet's unspent balance at the loss.
 */
async function payPartOfAPeriod(s: Stack): Promise<{ words: string[]; unspent: number }> {
  const engine = await s.open();
  await engine.runOnce();
  await engine.topUp(10);
  const { words } = await engine.takeSeedPhrase();
  for (const token of s.emit(4)) engine.ingest({ kind: 'token', token });
  await engine.runOnce();
  expect(await engine.getPeriod(1)).toMatchObject({ tokens: 4, paid: 4 });
  await engine.close();
  const db = openWalletDb(join(s.home, 'wallet.sqlite'), TEST_WALLET_KEY);
  const [lost] = s.emit(1);
  const { id } = receiveToken(db, lost!);
  scheduleToken(db, id!, new Date().toISOString());
  const attempt = startPayment(db, id!);
  const coin = new EcashWallet({ db, mintUrl: s.mintUrl, unit: s.mint.unit, route: () => s.hop }).encodeCoin(attempt.coin);
  await payToken(s.hop, s.uc.url, { set: 1, period: 1, T: lost!.T, sig: lost!.sig, coin });
  const unspent = coinCounts(db).balance;
  expect(unspentProofs(db)).toHaveLength(5);
  checkInvariants(db);
  db.close();
  expect(s.lookups()).toBe(0); // a wallet that was never rebuilt never asks for a receipt
  return { words, unspent };
}

/** The carousel brings the period's tokens again (and 3 new ones), then its bill; the period settles. */
async function rebuildAndSettle(s: Stack, engine: Awaited<ReturnType<Stack['open']>>, unspentBefore: number, restartMidway = false): Promise<void> {
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  // Pins the UC again, learns the horizon, scans the seed's counters beside the rounds, then stores what it found.
  for (let round = 0; round < 200; round++) {
    await engine.runOnce();
    if (!/^(Restoring|Asking the utility which)/.test((await engine.getStatus()).recovery?.message ?? '')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const w = await engine.getWallet();
  expect(w.balance).toBe(unspentBefore); // every proof the mint still counts unspent, and no other
  expect((await engine.getStatus()).recovery).toMatchObject({ state: 'restoring', proofs: unspentBefore });

  const fresh = s.emit(3);
  for (const token of [...s.made.slice(0, 5), ...fresh, ...s.made.slice(0, 5)]) engine.ingest({ kind: 'token', token });
  if (restartMidway) { // stopped with every token held: the recovery resumes from the wallet, without the phrase given again
    await engine.close();
    engine = await s.open();
    engine.onEvent((e) => events.push(e));
    expect((await engine.getStatus()).recovery).toMatchObject({ state: 'restoring', tokens: 8, receipts: 0 });
  }
  await engine.runOnce();
  expect(await engine.getPeriod(1)).toMatchObject({ tokens: 8, paid: 8, alarms: 0 });
  expect((await engine.getStatus()).recovery).toMatchObject({ state: 'restoring', tokens: 8, receipts: 5 });
  engine.ingest({ kind: 'bill', bill: s.bill() });
  await engine.runOnce();
  expect((await engine.getPeriod(1)).settlement).toMatchObject({ kind: 'settled', answer: 'settled' });
  await engine.runOnce();
  const status = await engine.getStatus();
  expect(status.recovery).toMatchObject({ state: 'restored', proofs: 5, tokens: 8, receipts: 5, finishedAt: expect.any(String), message: null });
  expect(events.filter((e) => e.kind === 'recovery').at(-1)).toMatchObject({ recovery: { state: 'restored' } });

  expect(status.wallet).toMatchObject({ balance: unspentBefore - 3, spent: 3, reserved: 0 }); // only the 3 new tokens took a coin
  expect(await s.ucCoins()).toBe(8); // one coin per token, none twice
  expect(s.lookups()).toBe(8); // every token of the period under way was looked up once, none of them paid twice
  expect(new Set(s.hop.log.map((c) => c.username)).size).toBe(s.hop.log.length);
  await engine.close();
  const db = openWalletDb(join(s.home, 'wallet.sqlite'), TEST_WALLET_KEY);
  checkInvariants(db);
  db.close();
}

describe('recovery from the seed phrase, the carousel and the UC (real mint, UC and SOCKS hop)', () => {
  it('a wallet file deleted mid-period: restarted with the seed phrase, it settles without paying twice', async () => {
    const s = await stack();
    const { words, unspent } = await payPartOfAPeriod(s);
    for (const f of ['', '-wal', '-shm']) rmSync(join(s.home, `wallet.sqlite${f}`), { force: true });
    await rebuildAndSettle(s, await s.open(words), unspent);
    // Started again with the same phrase (a CLI flag left on): the finished recovery is kept, nothing is redone.
    const again = await s.open(words);
    expect((await again.getStatus()).recovery).toMatchObject({ state: 'restored' });
    await again.close();
  });

  it('a wallet file overwritten with garbage: set aside, the window is asked for the phrase, restoreWallet rebuilds, a restart midway resumes', async () => {
    const s = await stack();
    const { words, unspent } = await payPartOfAPeriod(s);
    for (const f of ['-wal', '-shm']) rmSync(join(s.home, `wallet.sqlite${f}`), { force: true });
    writeFileSync(join(s.home, 'wallet.sqlite'), randomBytes(64 * 1024));
    const engine = await s.open();
    expect((await engine.getStatus()).recovery).toMatchObject({ state: 'needed', message: expect.stringMatching(/set aside as wallet\.sqlite\.corrupt-/) });
    expect(readdirSync(s.home).filter((f) => f.startsWith('wallet.sqlite.corrupt-'))).toHaveLength(1);
    await expect(engine.restoreWallet(['not', 'a', 'phrase'])).rejects.toMatchObject({ code: 'bad-request' });
    expect(await engine.restoreWallet(words)).toMatchObject({ state: 'restoring', proofs: 0 });
    await expect(engine.takeSeedPhrase()).rejects.toMatchObject({ code: 'seed-already-shown' });
    await rebuildAndSettle(s, engine, unspent, true);
    expect(existsSync(join(s.home, 'wallet.sqlite'))).toBe(true);
  });
});
