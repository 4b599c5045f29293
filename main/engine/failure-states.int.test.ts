// Failure states (issue 6): disk full, database locked, a second engine, the mint unreachable, a UC that answers
// 5xx, garbage or refusals. Each is a clear state in the status, nothing is lost, and the engine resumes by itself
// (alarms: on the user's word). Real parts: the wallet file, the UC and the mint, the SOCKS hop, a misbehaving
// HTTP front between the hop and the UC.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { billGen, bytesToHex, newMeterState, p256PublicKey, tokenGen, type MeterState } from '../../protocol/index.js';
import { createMint } from '../../mint/index.js';
import { registerMeter, startServers } from '../../scripts/demo-stack.js';
import { p256SecretKey } from '../../scripts/uc-fixture.js';
import { type Recorder, type Respond, startRecorder } from '../../test/support/recorder.js';
import type { EngineEvent, EngineStatus } from '../api/index.js';
import { type Engine, createEngine, startSocksHop } from './index.js';
import { isLoopback } from './socks-hop/index.js';
import { type Db, checkInvariants, openWalletDb } from './wallet/index.js';
import { TEST_WALLET_KEY, testUnlock } from '../../scripts/test-wallet-key.js';


/** UC, mint and hop in this process; the engine reaches the UC through a recording front (misbehaving on demand). */
async function stack() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-failure-'));
  const servers = await startServers(dir);
  const front = await startRecorder(servers.uc.url);
  onTestFinished(async () => { await front.close(); await servers.close(); rmSync(dir, { recursive: true, force: true }); });
  const setKey = p256SecretKey();
  const billKey = p256SecretKey();
  await registerMeter(servers.uc.adminUrl, servers.adminToken,
    { meter: 'M-FAIL', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1]);
  let meter: MeterState = newMeterState('M-FAIL', 1, 1, new Uint8Array(randomBytes(32)));
  const emit = (n: number) => Array.from({ length: n }, () => { const g = tokenGen(meter, setKey); meter = g.state; return g.token; });
  const bill = () => billGen(meter, 1, billKey);
  let wallet: Db | null = null;
  const open = async (o: { socks?: { host: string; port: number }; topUp?: { units: number; lowWater: number } } = {}) => {
    const engine = await createEngine({
    unlock: testUnlock,
      dataDir: join(dir, 'home'), ucUrl: front.url, socks: { ...(o.socks ?? servers.hop), label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 3_600_000,
      onWalletOpen: (db) => (wallet = db), log: { log: () => {} }, ...(o.topUp ? { topUp: o.topUp } : {}),
    });
    onTestFinished(() => engine.close());
    return engine;
  };
  const db = () => wallet!;
  return { dir, servers, front, emit, bill, open, db };
}

const pays = (front: Recorder) => front.exchanges.filter((x) => x.url === '/v1/pay').map((x) => JSON.parse(x.body) as { token: string; coin: string });

/** Every token was offered one coin only, however many attempts it took. */
function oneCoinPerToken(front: Recorder): void {
  const coins = new Map<string, Set<string>>();
  for (const p of pays(front)) coins.set(p.token, (coins.get(p.token) ?? new Set()).add(p.coin));
  expect([...coins.values()].every((c) => c.size === 1)).toBe(true);
}

async function paidAtUc(servers: Awaited<ReturnType<typeof startServers>>): Promise<number> {
  return (await servers.uc.ledger.periods()).find((p) => p.period === 1)?.paidTokens ?? 0;
}

describe('one engine per data folder', () => {
  it('a second engine on the same folder is refused at start; a lock left by a dead process is taken over', async () => {
    const { dir, open } = await stack();
    const first = await open();
    await expect(open()).rejects.toMatchObject({ code: 'database-locked', message: expect.stringMatching(/another Sipster Home engine .* is using the data folder/) });
    await first.close();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has ended
    const again = await open();
    await again.close();
    writeFileSync(join(dir, 'home', 'engine.lock'), `${dead}\n`);
    const taken = await open();
    expect((await taken.getStatus()).storage).toEqual({ state: 'ok', reason: null });
  });
});

describe('disk full (a genuine SQLITE_FULL: PRAGMA max_page_count on the wallet file)', () => {
  it('a receipt that cannot be stored keeps its coin reserved; no network work while full; resumes by itself', async () => {
    const { servers, front, emit, open, db } = await stack();
    const engine = await open();
    await engine.runOnce();
    await engine.topUp(5);
    const statuses: EngineStatus[] = [];
    engine.onEvent((e) => e.kind === 'status' && statuses.push(e.status));

    // The file may not grow, and every receipt stored needs new pages: the coin is reserved and sent, the UC takes
    // it, and the receipt cannot be recorded.
    db().exec('CREATE TABLE filler (x BLOB)');
    db().exec('CREATE TEMP TRIGGER grow AFTER INSERT ON main.receipts BEGIN INSERT INTO main.filler VALUES (zeroblob(65536)); END');
    db().pragma(`max_page_count = ${db().pragma('page_count', { simple: true }) as number}`);
    for (const token of emit(3)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    const full = await engine.getStatus();
    expect(full.storage).toEqual({ state: 'disk-full', reason: expect.stringMatching(/^the disk is full: free some space; nothing was lost/) });
    expect(full.queue).toMatchObject({ paying: 3, blockedBy: 'disk-full' });
    expect(full.wallet).toMatchObject({ reserved: 3, spent: 0 });
    expect(statuses.at(-1)?.storage.state).toBe('disk-full');
    expect(await paidAtUc(servers)).toBe(3); // sent before the write failed: the UC has the coins

    // While full: no request leaves, however many rounds; a token from the meter is left to the carousel.
    const sent = servers.hop.log.length;
    const [late] = emit(1);
    engine.ingest({ kind: 'token', token: late! });
    await engine.runOnce();
    await engine.runOnce();
    expect(servers.hop.log.length).toBe(sent);
    expect((await engine.getStatus()).storage.state).toBe('disk-full');
    expect((await engine.getPeriod(1)).tokens).toBe(3);

    // Space freed: the next round sees it, the same coins go again, the UC answers 'already-paid' with the receipts.
    db().exec('DROP TRIGGER temp.grow');
    db().pragma('max_page_count = 1073741823');
    engine.ingest({ kind: 'token', token: late! }); // the carousel's repeat
    await engine.runOnce();
    const after = await engine.getStatus();
    expect(after.storage).toEqual({ state: 'ok', reason: null });
    expect(after.queue).toMatchObject({ paying: 0, scheduled: 0, blockedBy: null });
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 4, paid: 4 });
    expect(after.wallet).toMatchObject({ spent: 4, reserved: 0, stock: 1 });
    expect((await servers.uc.ledger.walletBalance()).amount).toBe(4); // the UC took each coin once
    oneCoinPerToken(front);
    checkInvariants(db());
  });
});

describe('database locked (another connection holds the write lock past the busy timeout)', () => {
  it('storage "locked", nothing sent, resumes when released', async () => {
    const { dir, servers, emit, open } = await stack();
    const engine = await open();
    await engine.runOnce();
    await engine.topUp(2);
    const other = openWalletDb(join(dir, 'home', 'wallet.sqlite'), TEST_WALLET_KEY);
    onTestFinished(() => void other.close());
    other.exec('BEGIN EXCLUSIVE');
    const sent = servers.hop.log.length;
    const tokens = emit(2);
    // The first write waits out the busy timeout (5 s) and fails; then the engine knows, and refuses at once.
    for (const token of tokens) engine.ingest({ kind: 'token', token });
    expect((await engine.getStatus()).storage).toEqual({ state: 'locked', reason: expect.stringMatching(/^the wallet database is locked by another program: close it; nothing was lost/) });
    await engine.runOnce();
    expect(servers.hop.log.length).toBe(sent);
    expect((await engine.getStatus()).queue.blockedBy).toBe('database-locked');
    expect(await engine.listPeriods()).toEqual([]);
    other.exec('COMMIT');
    await engine.runOnce();
    expect((await engine.getStatus()).storage).toEqual({ state: 'ok', reason: null });
    for (const token of tokens) engine.ingest({ kind: 'token', token }); // the carousel repeats what was refused
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 2, paid: 2 });
    expect(await engine.getWallet()).toMatchObject({ spent: 2, reserved: 0 });
  });
});

describe('a token is stored and scheduled at once', () => {
  it("a failure between storing and scheduling leaves nothing half done: the carousel's next copy is paid", async () => {
    const { servers, emit, open, db } = await stack();
    const engine = await open();
    await engine.runOnce();
    await engine.topUp(2);
    // Scheduling fails once, as a crash between the two writes would cut it.
    db().exec("CREATE TEMP TRIGGER cut BEFORE UPDATE OF state ON tokens WHEN NEW.state = 'scheduled' BEGIN SELECT RAISE(ABORT, 'cut'); END");
    const [token] = emit(1);
    expect(() => engine.ingest({ kind: 'token', token: token! })).toThrow(/cut/);
    expect(db().prepare('SELECT COUNT(*) AS n FROM tokens').get()).toEqual({ n: 0 });
    db().exec('DROP TRIGGER cut');
    engine.ingest({ kind: 'token', token: token! }); // the carousel sends it again
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 1, paid: 1 });
    expect(await paidAtUc(servers)).toBe(1);
  });
});

describe('mint unreachable through the proxy', () => {
  it("a top-up fails with 'mint-unreachable' in plain words; payments with coins in stock go on; nothing reserved is lost", async () => {
    const { servers, emit, open } = await stack();
    const mintPort = Number(new URL(servers.mintUrl).port);
    let mintBlocked = false;
    const hop = await startSocksHop({ allow: (host, port) => isLoopback(host) && !(mintBlocked && port === mintPort) });
    onTestFinished(() => hop.close());
    const engine = await open({ socks: hop });
    await engine.runOnce();
    await engine.topUp(3);
    mintBlocked = true;
    await expect(engine.topUp(5)).rejects.toMatchObject({ code: 'mint-unreachable', message: expect.stringMatching(/cannot be reached through the proxy/) });
    for (const token of emit(2)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 2, paid: 2 });
    expect(await engine.getWallet()).toMatchObject({ balance: 1, stock: 1, spent: 2, reserved: 0 });
    mintBlocked = false;
    expect(await engine.topUp(2)).toMatchObject({ state: 'minted', balance: 3 });
  });

  it("the period still settles while the round's top-up cannot reach the mint (settling needs no mint)", async () => {
    const { servers, emit, bill, open } = await stack();
    const mintPort = Number(new URL(servers.mintUrl).port);
    let mintBlocked = false;
    const hop = await startSocksHop({ allow: (host, port) => isLoopback(host) && !(mintBlocked && port === mintPort) });
    onTestFinished(() => hop.close());
    const engine = await open({ socks: hop, topUp: { units: 4, lowWater: 10 } }); // the stock is always low: a top-up every round
    await engine.runOnce();
    await engine.topUp(2);
    mintBlocked = true;
    const before = await engine.getWallet();
    for (const token of emit(2)) engine.ingest({ kind: 'token', token });
    engine.ingest({ kind: 'bill', bill: bill() });
    for (let i = 0; i < 5 && (await engine.getPeriod(1)).settlement.kind !== 'settled'; i++) await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 2, paid: 2, settlement: { kind: 'settled' } });
    expect(await paidAtUc(servers)).toBe(2);
    expect(await engine.getWallet()).toMatchObject({ balance: before.balance - 2, spent: 2, reserved: 0 });
    expect((await engine.getStatus()).wallet.balance).toBe(before.balance - 2);
  });
});

describe('mint down (for the UC too)', () => {
  it("a top-up fails with 'mint-unreachable'; the UC answers 503 so payments wait as 'uc-error' with their coins; both resume with the mint", async () => {
    const { dir, servers, front, emit, open, db } = await stack();
    const engine = await open();
    await engine.runOnce();
    await engine.topUp(3);
    const port = Number(new URL(servers.mintUrl).port);
    await servers.mint.close();
    await expect(engine.topUp(2)).rejects.toMatchObject({ code: 'mint-unreachable' });
    for (const token of emit(2)) engine.ingest({ kind: 'token', token });
    await engine.runOnce();
    expect((await engine.getStatus()).queue).toMatchObject({ paying: 2, blockedBy: 'uc-error' });
    expect(await engine.getWallet()).toMatchObject({ reserved: 2, spent: 0, stock: 1 });
    const again = await createMint({ dbPath: join(dir, 'mint.sqlite') });
    onTestFinished(() => again.close());
    await again.listen(port, '127.0.0.1');
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 2, paid: 2 });
    expect(await engine.getWallet()).toMatchObject({ reserved: 0, spent: 2, stock: 1 });
    expect(await engine.topUp(2)).toMatchObject({ state: 'minted', balance: 3 });
    oneCoinPerToken(front);
    checkInvariants(db());
  });
});

type Mode = 'healthy' | '503' | 'not-json' | 'wrong-shape' | 'cut-short' | 'taken-then-garbled' | '400' | 'bad-receipt';

/** The front's behaviour for /v1/pay; everything else is forwarded. */
function misbehave(mode: () => Mode, otherReceipt: () => string): Respond {
  return async (req, forward) => {
    if (req.url !== '/v1/pay') return forward();
    switch (mode()) {
      case 'healthy': return forward();
      case '503': return { status: 503, body: JSON.stringify({ error: 'internal' }) };
      case 'not-json': return { status: 200, body: '<html>gateway</html>' };
      case 'wrong-shape': return { status: 200, body: JSON.stringify({ status: 'paid', receipt: 42 }) };
      case 'cut-short': return { ...(await forward()), cut: true };
      case 'taken-then-garbled': await forward(); return { status: 200, body: JSON.stringify({ ok: true }) };
      case '400': return { status: 400, body: JSON.stringify({ error: 'bad-request', message: 'no' }) };
      case 'bad-receipt': {
        const a = await forward();
        return { status: a.status, body: JSON.stringify({ ...JSON.parse(a.body), receipt: otherReceipt() }) };
      }
    }
  };
}

describe('a UC that answers 5xx, garbage or refusals (through the real hop)', () => {
  it("'uc-error' keeps the token paying with the same coin until the UC is healthy; 4xx and a bad receipt are alarms", async () => {
    const { servers, front, emit, open, db } = await stack();
    let mode: Mode = 'healthy';
    front.respond = misbehave(() => mode, () => JSON.parse(front.exchanges.find((x) => x.url === '/v1/pay' && x.status === 200)!.answer).receipt);
    const engine = await open();
    const alarms: EngineEvent[] = [];
    engine.onEvent((e) => e.kind === 'alarm' && alarms.push(e));
    await engine.runOnce();
    await engine.topUp(10);
    for (const token of emit(1)) engine.ingest({ kind: 'token', token });
    await engine.runOnce(); // one healthy payment: its receipt is the "other" receipt below

    const ucError: Mode[] = ['503', 'not-json', 'wrong-shape', 'cut-short', 'taken-then-garbled'];
    for (const m of ucError) {
      mode = m;
      for (const token of emit(1)) engine.ingest({ kind: 'token', token });
      await engine.runOnce();
      await engine.runOnce();
      const s = await engine.getStatus();
      expect({ m, blockedBy: s.queue.blockedBy, paying: s.queue.paying, reserved: s.wallet.reserved }).toEqual({ m, blockedBy: 'uc-error', paying: 1, reserved: 1 });
      expect(s.utility.state).toBe('reachable');
      mode = 'healthy';
      await engine.runOnce();
      expect((await engine.getStatus()).queue).toMatchObject({ paying: 0, blockedBy: null });
    }
    expect(alarms).toEqual([]);

    for (const [m, code] of [['400', 'bad-request'], ['bad-receipt', 'receipt-invalid']] as const) {
      mode = m;
      for (const token of emit(1)) engine.ingest({ kind: 'token', token });
      await engine.runOnce();
      expect(alarms.at(-1)).toMatchObject({ kind: 'alarm', code });
      expect((await engine.getStatus()).queue).toMatchObject({ alarms: 1, paying: 0 });
      expect((await engine.getWallet()).reserved).toBe(1); // the coin stays with its token
      mode = 'healthy';
      await engine.retryAlarms(); // on the user's word
      await engine.runOnce();
      expect((await engine.getStatus()).queue).toMatchObject({ alarms: 0, paying: 0, blockedBy: null });
    }

    const paid = 1 + ucError.length + 2;
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: paid, paid });
    expect(await engine.getWallet()).toMatchObject({ spent: paid, reserved: 0, balance: 10 - paid });
    expect((await servers.uc.ledger.walletBalance()).amount).toBe(paid);
    expect(await paidAtUc(servers)).toBe(paid);
    oneCoinPerToken(front);
    checkInvariants(db());
  });
});

// The lock is a file in the data folder; a folder that cannot be written is a storage error, not 'internal'.
describe('the data folder lock file', () => {
  it('is removed on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-lock-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'home'));
    const engine: Engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), log: { log: () => {} }, tickMs: 3_600_000 });
    expect(readdirSync(join(dir, 'home'))).toContain('engine.lock');
    await engine.close();
    expect(readdirSync(join(dir, 'home'))).not.toContain('engine.lock');
    const db = openWalletDb(join(dir, 'home', 'wallet.sqlite'), TEST_WALLET_KEY);
    checkInvariants(db);
    db.close();
  });
});
