import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  billGen, bytesToHex, newMeterState, p256PublicKey, tokenGen, verifyEvidence, type DisputeEvidence, type MeterState,
} from '../../protocol/index.js';
import { EVIDENCE_MUTATIONS } from '../../test/support/dispute-mutations.js';
import { createMint } from '../../mint/index.js';
import { newReceiptKey, readReceiptKeyFile, startUc } from '../../uc/index.js';
import { registerMeter, startServers } from '../../scripts/demo-stack.js';
import { p256SecretKey } from '../../scripts/uc-fixture.js';
import type { EngineEvent, EngineStatus } from '../api/index.js';
import { createEngine, startSocksHop, type WalletUnlock } from './index.js';
import { EcashWallet } from './cashu/index.js';
import { payToken } from './pay/index.js';
import { checkInvariants, openWalletDb, receiveToken, scheduleToken, startPayment } from './wallet/index.js';
import { TEST_WALLET_KEY, testUnlock } from '../../scripts/test-wallet-key.js';
import { scanAtRest } from '../../test/support/at-rest-scan.js';

const run = promisify(execFile);

async function stack() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-engine-'));
  const servers = await startServers(dir);
  onTestFinished(async () => { await servers.close(); rmSync(dir, { recursive: true, force: true }); });
  const setKey = p256SecretKey();
  const billKey = p256SecretKey();
  await registerMeter(servers.uc.adminUrl, servers.adminToken,
    { meter: 'M-TEST', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1, 2]);
  let meter: MeterState = newMeterState('M-TEST', 1, 1, new Uint8Array(randomBytes(32)));
  const emit = (n: number) => Array.from({ length: n }, () => { const g = tokenGen(meter, setKey); meter = g.state; return g.token; });
  const bill = (period: number) => billGen(meter, period, billKey);
  // withMeterKeys: a silent demo meter carrying the meter's public keys, so bills are stored with their bill key.
  const keys = { setPublicKey: p256PublicKey(setKey), billPublicKey: p256PublicKey(billKey) };
  const open = (dataDir = join(dir, 'home'), withMeterKeys = false, unlock: WalletUnlock = testUnlock) =>
    createEngine({ unlock, dataDir, ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 3_600_000,
      ...(withMeterKeys ? { demoMeter: { port: { stream: new PassThrough() }, keys } } : {}) });
  return { dir, servers, emit, bill, open };
}

describe('the home engine against the real UC and mint, through the SOCKS hop', () => {
  it('pins the UC, tops up, pays every token, settles the period, exports its evidence, and a second run continues', async () => {
    const { dir, servers, emit, bill, open } = await stack();
    const engine = await open(join(dir, 'home'), true);
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    await engine.runOnce();
    const status = await engine.getStatus();
    expect(status.utility).toMatchObject({ state: 'reachable', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(status.proxy).toMatchObject({ state: 'working', anonymous: false, reason: expect.stringMatching(/not anonymous/) });
    expect(await engine.topUp(8)).toMatchObject({ state: 'minted', balance: 8 });
    expect((await engine.takeSeedPhrase()).words).toHaveLength(12);
    await expect(engine.takeSeedPhrase()).rejects.toMatchObject({ code: 'seed-already-shown' });

    for (const token of emit(5)) engine.ingest({ kind: 'token', token });
    const [sixth] = emit(1);
    engine.ingest({ kind: 'token', token: sixth! });
    engine.ingest({ kind: 'token', token: sixth! }); // a carousel repeat is not a new unit
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 6, paid: 6, queued: 0, alarms: 0, settlement: { kind: 'open' } });

    engine.ingest({ kind: 'bill', bill: bill(1) });
    await engine.runOnce();
    expect((await engine.getPeriod(1)).settlement).toMatchObject({ kind: 'settled', answer: 'settled' });
    expect(await engine.getWallet()).toMatchObject({ balance: 2, stock: 2, spent: 6, reserved: 0 });
    const kinds = events.map((e) => e.kind);
    for (const k of ['token-received', 'token-paid', 'bill-received', 'period-settled', 'top-up'] as const) expect(kinds).toContain(k);
    // No points, receipts or keys in events: the one long hex string is the UC key's public fingerprint.
    expect(JSON.stringify(events).replaceAll(status.utility.fingerprint!, '')).not.toMatch(/[0-9a-f]{32}/);

    // Every request went through the hop, each on its own SOCKS username.
    expect(servers.hop.log.length).toBeGreaterThanOrEqual(6 + 3);
    expect(new Set(servers.hop.log.map((c) => c.username)).size).toBe(servers.hop.log.length);
    // The evidence passes every check, carries no coin and no seed, and any single change fails the named check.
    const evidence = await engine.exportReceipts(1);
    expect(evidence.tokens).toHaveLength(6);
    expect(evidence.settlement).toMatchObject({ state: 'settled', answer: 'settled' });
    expect(evidence.utility.fingerprint).toBe(status.utility.fingerprint);
    const verdict = verifyEvidence(evidence, randomBytes);
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.ok).toBe(true);
    for (const [what, change, names] of EVIDENCE_MUTATIONS) {
      const e = structuredClone(evidence) as DisputeEvidence;
      change(e);
      expect(verifyEvidence(e, randomBytes).checks.filter((c) => !c.ok).map((c) => c.check), what).toEqual(names);
    }
    await expect(engine.exportReceipts(2)).rejects.toMatchObject({ code: 'not-found' });
    await engine.close();

    const again = await open();
    expect((await again.listPeriods()).map((p) => [p.period, p.settlement.kind])).toEqual([[1, 'settled']]);
    await again.close();
    const db = openWalletDb(join(dir, 'home', 'wallet.sqlite'), TEST_WALLET_KEY);
    checkInvariants(db);
    db.close();
  });

  it('the command line exports a settled period of a passphrase wallet, and anyone\'s verify-export checks the file', async () => {
    const { dir, emit, bill, open } = await stack();
    const passphrase = join(dir, 'passphrase');
    writeFileSync(passphrase, 'correct horse battery staple\n', { mode: 0o600 });
    const home = join(dir, 'home');
    const engine = await open(home, true, { kind: 'passphrase', passphrase: 'correct horse battery staple' });
    await engine.runOnce();
    await engine.topUp(4);
    for (const token of emit(3)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    engine.ingest({ kind: 'bill', bill: bill(1) });
    await engine.runOnce();
    expect((await engine.getPeriod(1)).settlement).toMatchObject({ kind: 'settled' });
    const evidence = await engine.exportReceipts(1);
    await engine.close();

    const exported = await run('npx', ['tsx', 'main/host/cli.ts', 'export', '--period', '1', '--data', home, '--passphrase-file', passphrase], { timeout: 60_000 });
    expect(JSON.parse(exported.stdout)).toEqual(evidence);
    const file = join(dir, 'evidence.json');
    writeFileSync(file, exported.stdout);
    const checked = await run('npx', ['tsx', 'scripts/verify-export.ts', file], { timeout: 60_000 });
    expect(checked.stdout.split('\n').filter(Boolean)).toHaveLength(9);
    expect(checked.stdout).toMatch(/\nverdict: every check holds\n$/);
    const forged = structuredClone(evidence) as DisputeEvidence;
    forged.combined = forged.tokens[0]!.receipt;
    writeFileSync(file, JSON.stringify(forged));
    await expect(run('npx', ['tsx', 'scripts/verify-export.ts', file], { timeout: 60_000 })).rejects.toMatchObject({
      code: 1, stdout: expect.stringMatching(/FAIL combined: .*\nFAIL settlement: .*\nverdict: FAILED \(combined, settlement\)\n$/) });
  });

  it('at rest: after a paid and settled period the wallet and its -wal hold no SQLite header, no seed words, no proof secret, no token; all 0600 in a 0700 folder', async () => {
    const { dir, emit, bill, open } = await stack();
    const home = join(dir, 'home');
    const engine = await open();
    await engine.runOnce();
    await engine.topUp(8);
    const { words } = await engine.takeSeedPhrase();
    const tokens = emit(4);
    for (const token of tokens) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    engine.ingest({ kind: 'bill', bill: bill(1) });
    await engine.runOnce();
    expect((await engine.getPeriod(1)).settlement).toMatchObject({ kind: 'settled' });
    // The engine still runs: its -wal holds the latest pages, read as a thief copying the folder would.
    const reader = openWalletDb(join(home, 'wallet.sqlite'), TEST_WALLET_KEY);
    const proofSecrets = (reader.prepare('SELECT secret FROM proofs').all() as { secret: string }[]).map((r) => r.secret);
    const receipts = (reader.prepare('SELECT receipt FROM receipts').all() as { receipt: Buffer }[]).map((r) => r.receipt);
    reader.close();
    expect(proofSecrets.length).toBeGreaterThanOrEqual(8);
    expect(receipts).toHaveLength(4);
    const secrets = [...proofSecrets, words.join(' '), ...tokens.map((t) => Buffer.from(t.T)), ...receipts];
    const files = ['wallet.sqlite', 'wallet.sqlite-wal'].map((f) => join(home, f));
    expect(files.map(existsSync)).toEqual([true, true]);
    expect(statSync(join(home, 'wallet.sqlite-wal')).size).toBeGreaterThan(0);
    for (const f of files) expect(scanAtRest(readFileSync(f), secrets), f).toEqual([]);
    // The scan finds what it looks for: the same data in clear.
    expect(scanAtRest(Buffer.from(`SQLite format 3\0 ${words.join(' ')} ${proofSecrets[0]}`), secrets)).toEqual([
      'an SQLite header in clear', expect.stringMatching(/^three BIP-39 words/), expect.stringMatching(/^a secret/), expect.stringMatching(/^a secret/)]);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    for (const f of ['wallet.sqlite', 'wallet.sqlite-wal', 'wallet.sqlite-shm', 'wallet-key.json', 'engine.lock'])
      expect(statSync(join(home, f)).mode & 0o777, f).toBe(0o600);
    await engine.close();
  });

  it('a bill that arrives before its last token waits and says so; the token from the carousel completes it', async () => {
    const { emit, bill, open } = await stack();
    const engine = await open();
    onTestFinished(() => engine.close());
    await engine.runOnce();
    await engine.topUp(3);
    const [a, b, late] = emit(3);
    engine.ingest({ kind: 'token', token: a! });
    engine.ingest({ kind: 'token', token: b! });
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    engine.ingest({ kind: 'bill', bill: bill(1) });
    await engine.runOnce();
    expect((await engine.getPeriod(1)).settlement).toEqual({ kind: 'waiting', missingTokens: 1, missingReceipts: 0 });
    expect(events).toContainEqual({ kind: 'settlement-waiting', period: 1, missingTokens: 1, missingReceipts: 0 });
    engine.ingest({ kind: 'token', token: late! });
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 3, paid: 3, settlement: { kind: 'settled' } });
  });

  it('an answer lost in a crash: after restart the SAME coin goes again, the UC takes one coin and re-issues the receipt', async () => {
    const { dir, servers, emit, open } = await stack();
    const first = await open();
    await first.runOnce();
    await first.topUp(3);
    await first.close();
    // The crash: the coin is bound and sent, the answer never stored.
    const file = join(dir, 'home', 'wallet.sqlite');
    const db = openWalletDb(file, TEST_WALLET_KEY);
    const [token] = emit(1);
    const { id } = receiveToken(db, token!);
    scheduleToken(db, id!, new Date().toISOString());
    const attempt = startPayment(db, id!);
    const coin = new EcashWallet({ db, mintUrl: servers.mintUrl, unit: servers.mint.unit, route: () => servers.hop }).encodeCoin(attempt.coin);
    await payToken(servers.hop, servers.uc.url, { set: 1, period: 1, T: token!.T, sig: token!.sig, coin });
    db.close();

    const engine = await open();
    onTestFinished(() => engine.close());
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 1, paid: 1, alarms: 0 });
    expect(await engine.getWallet()).toMatchObject({ spent: 1, reserved: 0, stock: 2 });
    expect(await servers.uc.ledger.walletBalance()).toEqual({ amount: 1, proofs: 1 });
    const check = openWalletDb(file, TEST_WALLET_KEY);
    checkInvariants(check);
    expect(check.prepare('SELECT COUNT(DISTINCT coin_id) AS coins, COUNT(*) AS attempts FROM payments').get()).toEqual({ coins: 1, attempts: 2 });
    check.close();
  });

  it('a wallet rebuilt from scratch: a token the UC already has gets its receipt, and the coin it did not take comes back', async () => {
    const { dir, servers, emit, open } = await stack();
    const before = await open(join(dir, 'home-before'));
    await before.runOnce();
    await before.topUp(1);
    const [token] = emit(1);
    before.ingest({ kind: 'token', token: token! });
    await before.runOnce();
    expect((await before.getPeriod(1)).paid).toBe(1);
    await before.close();

    const rebuilt = await open(join(dir, 'home-rebuilt'));
    onTestFinished(() => rebuilt.close());
    await rebuilt.runOnce();
    await rebuilt.topUp(2);
    rebuilt.ingest({ kind: 'token', token: token! });
    await rebuilt.runOnce();
    expect(await rebuilt.getPeriod(1)).toMatchObject({ tokens: 1, paid: 1 });
    expect(await rebuilt.getWallet()).toMatchObject({ balance: 2, stock: 2, spent: 1, reserved: 0 });
    expect(await servers.uc.ledger.walletBalance()).toEqual({ amount: 1, proofs: 1 });
    const db = openWalletDb(join(dir, 'home-rebuilt', 'wallet.sqlite'), TEST_WALLET_KEY);
    checkInvariants(db);
    db.close();
  });

  it('fails closed with no proxy: nothing reaches the hop or the UC, and the status says why', async () => {
    const { servers, emit, open } = await stack();
    const engine = await open();
    onTestFinished(() => engine.close());
    await engine.runOnce();
    await engine.topUp(2);
    const before = servers.hop.log.length;
    await engine.setProxy({ kind: 'none' });
    const statuses: EngineStatus[] = [];
    engine.onEvent((e) => e.kind === 'status' && statuses.push(e.status));
    for (const token of emit(2)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    const s = await engine.getStatus();
    expect(s.proxy).toMatchObject({ state: 'unconfigured', reason: expect.stringMatching(/nothing is sent/) });
    expect(s.queue).toMatchObject({ scheduled: 2, paying: 0, blockedBy: 'proxy-refused' });
    expect(statuses.at(-1)).toMatchObject({ proxy: { state: 'unconfigured' }, queue: { blockedBy: 'proxy-refused' } });
    expect(servers.hop.log.length).toBe(before);
  });

  it('a proxy that goes down: nothing reaches the UC (its ledger shows no payment), payments resume on a working proxy', async () => {
    const { servers, emit, open } = await stack();
    const engine = await open();
    onTestFinished(() => engine.close());
    await engine.runOnce();
    await engine.topUp(3);
    await servers.hop.close();
    for (const token of emit(3)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    const s = await engine.getStatus();
    expect(s.proxy).toMatchObject({ state: 'refused', reason: expect.stringMatching(/does not answer/) });
    expect(s.queue.blockedBy).toBe('proxy-refused');
    expect((await servers.uc.ledger.periods()).find((p) => p.period === 1)?.paidTokens ?? 0).toBe(0);
    const hop = await startSocksHop();
    onTestFinished(() => hop.close());
    await engine.setProxy({ kind: 'socks', host: hop.host, port: hop.port, label: 'demo-hop' });
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 3, paid: 3 });
    expect((await servers.uc.ledger.periods()).find((p) => p.period === 1)?.paidTokens).toBe(3);
  });

  it('a UC restarted mid-period: payments wait while it is down and resume when it is back', async () => {
    const { servers, emit, open } = await stack();
    const engine = await open();
    onTestFinished(() => engine.close());
    await engine.runOnce();
    await engine.topUp(4);
    for (const token of emit(2)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    await servers.restartUc(async () => {
      for (const token of emit(2)) engine.ingest({ kind: 'token', token });
      await engine.runOnce();
      expect((await engine.getStatus()).utility.state).toBe('unreachable');
      expect(await engine.getPeriod(1)).toMatchObject({ tokens: 4, paid: 2 });
    });
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 4, paid: 4, alarms: 0 });
    expect(await engine.getWallet()).toMatchObject({ spent: 4, reserved: 0 });
  });

  it("refuses a UC whose receipt key changed: 'uc-key-changed', an alarm, no payment", async () => {
    const { dir, servers, emit, open } = await stack();
    const first = await open();
    await first.runOnce();
    await first.topUp(2);
    await first.close();
    const port = Number(new URL(servers.uc.url).port);
    await servers.uc.close();
    servers.uc = await startUc({ ledger: { sqlite: join(dir, 'uc2.sqlite') }, receiptKey: newReceiptKey(), mint: { url: servers.mintUrl, unit: servers.mint.unit }, adminToken: 'x', port, adminPort: 0 });
    const engine = await open();
    onTestFinished(() => engine.close());
    const alarms: EngineEvent[] = [];
    engine.onEvent((e) => e.kind === 'alarm' && alarms.push(e));
    for (const token of emit(1)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    expect((await engine.getStatus()).utility.state).toBe('key-changed');
    expect(alarms).toEqual([expect.objectContaining({ code: 'uc-key-changed' })]);
    expect((await engine.getWallet()).spent).toBe(0);
  });

  it("a top-up at a mint that omits its DLEQ proofs: 'dleq-invalid', an alarm, nothing counted", async () => {
    const { dir, servers } = await stack();
    const liar = await createMint({ dbPath: ':memory:', dleqTestMode: 'omit' });
    onTestFinished(() => liar.close());
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: servers.uc.url, mintUrl: await liar.listen(0, '127.0.0.1'),
      socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 3_600_000 });
    onTestFinished(() => engine.close());
    const alarms: EngineEvent[] = [];
    engine.onEvent((e) => e.kind === 'alarm' && alarms.push(e));
    await expect(engine.topUp(3)).rejects.toMatchObject({ code: 'dleq-invalid' });
    expect(alarms).toEqual([expect.objectContaining({ code: 'dleq-invalid', message: expect.stringMatching(/not counted/) })]);
    expect(await engine.getWallet()).toMatchObject({ balance: 0, stock: 0 });
  });

  it("refuses a UC that names another mint than at first contact: 'mint-changed', no payment, until the user names the utility again", async () => {
    const { dir, servers, emit, open } = await stack();
    const first = await open();
    await first.runOnce();
    await first.close();
    const port = Number(new URL(servers.uc.url).port);
    await servers.uc.close();
    const household = `${servers.mintUrl}/t/4f2a`; // a mint URL for this household alone
    servers.uc = await startUc({ ledger: { sqlite: join(dir, 'uc.sqlite') }, receiptKey: readReceiptKeyFile(join(dir, 'uc.key')), mint: { url: household, unit: servers.mint.unit }, adminToken: servers.adminToken, port, adminPort: 0 });
    const engine = await open();
    onTestFinished(() => engine.close());
    const alarms: EngineEvent[] = [];
    engine.onEvent((e) => e.kind === 'alarm' && alarms.push(e));
    for (const token of emit(1)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    expect((await engine.getStatus()).utility.state).toBe('mint-changed');
    expect(alarms).toEqual([expect.objectContaining({ code: 'mint-changed', message: expect.stringContaining(household) })]);
    expect((await engine.getWallet()).mintUrl).toBe(servers.mintUrl);
    expect(await engine.getPeriod(1)).toMatchObject({ paid: 0 });
    await engine.runOnce(); // stays stopped: the pin is not adopted behind the user's back
    expect((await engine.getStatus()).utility.state).toBe('mint-changed');
    expect(await engine.setUtility(servers.uc.url)).toMatchObject({ state: 'reachable' });
    expect((await engine.getWallet()).mintUrl).toBe(household);
    await engine.close();
    const again = await open(); // the adopted mint is the pin now
    onTestFinished(() => again.close());
    await again.runOnce();
    expect((await again.getStatus()).utility.state).toBe('reachable');
  });

  it("'mint-changed' with coins of the pinned mint in the wallet: accepting the new mint is refused and nothing changes", async () => {
    const { dir, servers, open } = await stack();
    const first = await open();
    await first.runOnce();
    await first.topUp(2);
    await first.close();
    const port = Number(new URL(servers.uc.url).port);
    await servers.uc.close();
    servers.uc = await startUc({ ledger: { sqlite: join(dir, 'uc.sqlite') }, receiptKey: readReceiptKeyFile(join(dir, 'uc.key')), mint: { url: `${servers.mintUrl}/t/77`, unit: servers.mint.unit }, adminToken: servers.adminToken, port, adminPort: 0 });
    const engine = await open();
    onTestFinished(() => engine.close());
    await engine.runOnce();
    expect((await engine.getStatus()).utility.state).toBe('mint-changed');
    await expect(engine.setUtility(servers.uc.url)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/holds 2 units/) });
    expect(await engine.getWallet()).toMatchObject({ mintUrl: servers.mintUrl, balance: 2 });
    await engine.close();
    const again = await open(); // the refused choice left the pin as it was
    onTestFinished(() => again.close());
    await again.runOnce();
    expect((await again.getStatus()).utility.state).toBe('mint-changed');
  });
});
