import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReceiptPublicKey, hexToBytes, verifyReceipt } from '../protocol/index.js';
import { backend, call, mintCoins, payBody, startUcWorld, type UcWorld } from '../scripts/uc-fixture.js';

let dir: string;
let world: UcWorld;
let logs = '';
const logStream = new Writable({ write(chunk, _enc, cb) { logs += chunk.toString(); cb(); } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-app-'));
  // A refused coin's token backs off for 1 ms only here: backing off is abuse.int.test.ts's subject.
  world = await startUcWorld({ ledger: { sqlite: join(dir, 'uc.sqlite') }, uc: { logger: { level: 'info', stream: logStream }, backoff: { baseMs: 1, maxMs: 1 } } });
});
afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

const params = async () => (await call(world.uc.url, 'GET', '/v1/params')).body;

describe('UC public API over real HTTP, SQLite ledger, real mint', () => {
  it('publishes its parameters: receipt keys that pair, the set, the mint, the open periods', async () => {
    const p = await params();
    expect(p).toMatchObject({ version: 1, mint: { url: world.mintUrl, unit: 'sat' }, openPeriods: [world.period] });
    expect(p.sets).toEqual([{ set: 1, tokenPublicKey: expect.stringMatching(/^[0-9a-f]{66}$/), size: expect.any(Number) }]);
    expect(() => checkReceiptPublicKey(hexToBytes(p.receiptKey.A1), hexToBytes(p.receiptKey.A2), backend)).not.toThrow();
  });

  it("publishes each set's size (its registered meters) and a registered meter's bill key", async () => {
    const before = (await params()).sets[0].size as number;
    await world.meter('size-a');
    await world.meter('size-b');
    expect((await params()).sets).toEqual([expect.objectContaining({ set: 1, size: before + 2 })]);
    const registered = (await world.admin('GET', '/admin/v1/meters')).body as { meter: string; billPublicKey: string }[];
    expect(await call(world.uc.url, 'GET', '/v1/meters/size-a')).toMatchObject({
      status: 200, body: { meter: 'size-a', set: 1, billPublicKey: registered.find((m) => m.meter === 'size-a')!.billPublicKey } });
    expect(await call(world.uc.url, 'GET', '/v1/meters/nobody')).toMatchObject({ status: 404, body: { error: 'unknown-meter' } });
    expect(await call(world.uc.url, 'GET', '/v1/meters/not%20a%20meter')).toMatchObject({ status: 400, body: { error: 'bad-request' } });
  });

  it('pays every token of a period, then settles the period with one combined receipt, once', async () => {
    const { receiptKey } = await params();
    const meter = await world.meter('house-1');
    const tokens = meter.tokens(5);
    const coins = await mintCoins(world.wallet, 5);
    const receipts: string[] = [];
    for (const [i, t] of tokens.entries()) {
      const r = await world.pay(payBody(t, coins[i]!));
      expect(r).toMatchObject({ status: 200, body: { status: 'paid' } });
      expect(verifyReceipt(hexToBytes(receiptKey.A2), t.T, hexToBytes(r.body.receipt), backend)).toBe(true);
      receipts.push(r.body.receipt);
    }
    const settle = meter.settleBody(receipts, receiptKey.A1);
    expect(await call(world.uc.url, 'POST', '/v1/settle', settle)).toEqual({ status: 200, body: { status: 'settled', fault: false } });
    expect((await call(world.uc.url, 'POST', '/v1/settle', settle)).body).toMatchObject({ error: 'already-settled' });

    const rows = (await world.admin('GET', `/admin/v1/periods/${world.period}/settlements?status=settled`)).body;
    expect(rows).toContainEqual({ meter: 'house-1', settled: true, fault: false, failures: [] });
    const csv = await world.admin('GET', `/admin/v1/periods/${world.period}/settled.csv`);
    expect(csv.body).toContain(`house-1,${world.period},0`);
  });

  it('K = 0: a household that used nothing settles with C = −ρ·A1', async () => {
    const { receiptKey } = await params();
    const meter = await world.meter('house-empty');
    expect((await call(world.uc.url, 'POST', '/v1/settle', meter.settleBody([], receiptKey.A1))).status).toBe(200);
  });

  it('records a settlement that leaves out a receipt as a failed attempt with its reason', async () => {
    const { receiptKey } = await params();
    const meter = await world.meter('house-short');
    const [t1, t2] = meter.tokens(2);
    const [c1, c2] = await mintCoins(world.wallet, 2);
    const r1 = (await world.pay(payBody(t1!, c1!))).body.receipt;
    expect((await world.pay(payBody(t2!, c2!))).status).toBe(200);
    const reply = await call(world.uc.url, 'POST', '/v1/settle', meter.settleBody([r1], receiptKey.A1));
    expect(reply).toMatchObject({ status: 422, body: { error: 'settlement-mismatch' } });
    const rows = (await world.admin('GET', `/admin/v1/periods/${world.period}/settlements?status=unsettled`)).body;
    expect(rows).toContainEqual({ meter: 'house-short', settled: false, fault: false, failures: [{ reason: 'settlement-mismatch', count: 1 }] });
  });

  it('counts no failure on a meter for a bill its key did not sign (anyone can name a meter)', async () => {
    const { receiptKey } = await params();
    const meter = await world.meter('house-named');
    const forged = { ...meter.settleBody([], receiptKey.A1), billSignature: '00'.repeat(64) };
    expect(await call(world.uc.url, 'POST', '/v1/settle', forged)).toMatchObject({ status: 400, body: { error: 'bad-bill' } });
    const rows = (await world.admin('GET', `/admin/v1/periods/${world.period}/settlements?status=unsettled`)).body;
    expect(rows).toContainEqual({ meter: 'house-named', settled: false, fault: false, failures: [] });
    // The meter's own bill still settles.
    expect((await call(world.uc.url, 'POST', '/v1/settle', meter.settleBody([], receiptKey.A1))).status).toBe(200);
  });

  it('answers a paid token with its receipt again and takes no new coin', async () => {
    const meter = await world.meter('house-retry');
    const [t] = meter.tokens(1);
    const [c1, c2] = await mintCoins(world.wallet, 2);
    const before = (await world.admin('GET', '/admin/v1/wallet')).body.amount;
    const first = await world.pay(payBody(t!, c1!));
    const again = await world.pay(payBody(t!, c2!));
    expect(again).toEqual({ status: 200, body: { status: 'already-paid', receipt: first.body.receipt } });
    expect((await world.admin('GET', '/admin/v1/wallet')).body.amount).toBe(before + 1);
    // c2 was not taken: it still pays another token.
    const [u] = meter.tokens(1);
    expect((await world.pay(payBody(u!, c2!))).body.status).toBe('paid');
  });

  it('of concurrent pays of one token takes one coin, and all of them get the one receipt', async () => {
    const meter = await world.meter('house-race');
    const [t] = meter.tokens(1);
    const coins = await mintCoins(world.wallet, 8);
    const before = (await world.admin('GET', '/admin/v1/wallet')).body.amount;
    const replies = await Promise.all(coins.map((c) => world.pay(payBody(t!, c))));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(replies.map((r) => r.body.receipt)).size).toBe(1);
    expect(replies.filter((r) => r.body.status === 'paid')).toHaveLength(1);
    expect((await world.admin('GET', '/admin/v1/wallet')).body.amount).toBe(before + 1);
  });

  it('refuses a spent coin with no receipt, and the token stays payable', async () => {
    const meter = await world.meter('house-spent');
    const [t1, t2] = meter.tokens(2);
    const [c, fresh] = await mintCoins(world.wallet, 2);
    expect((await world.pay(payBody(t1!, c!))).status).toBe(200);
    expect(await world.pay(payBody(t2!, c!))).toMatchObject({ status: 402, body: { error: 'coin-rejected' } });
    expect((await world.pay(payBody(t2!, fresh!))).body.status).toBe('paid');
  });

  it('keeps tokens, coins, receipts and addresses out of its logs', () => {
    expect(logs).toContain('"statusCode":200');
    expect(logs).not.toMatch(/cashuB|receipt"|[0-9a-f]{96}|127\.0\.0\.1:\d+"?,"remote|remoteAddress/);
  });
});

describe('UC admin API', () => {
  it('wants the bearer token on every route', async () => {
    expect((await call(world.uc.adminUrl, 'GET', '/admin/v1/periods')).status).toBe(401);
    const wrong = await call(world.uc.adminUrl, 'GET', '/admin/v1/periods', undefined, { authorization: 'Bearer nope' });
    expect(wrong).toEqual({ status: 401, body: { error: 'unauthorized', message: expect.any(String) } });
  });

  it('refuses a contradicting registration and a bad key', async () => {
    const sets = (await world.admin('GET', '/admin/v1/sets')).body;
    expect((await world.admin('POST', '/admin/v1/sets', { set: 1, tokenPublicKey: '02' + '11'.repeat(32) })).status).toBeGreaterThanOrEqual(400);
    expect((await world.admin('POST', '/admin/v1/sets', sets[0])).status).toBe(201);
    expect((await world.admin('POST', '/admin/v1/meters', { meter: 'x', billPublicKey: sets[0].tokenPublicKey, set: 77 })).body.error).toBe('unknown-set');
  });

  it('closes a period to payment, and drops its paid tokens only once closed', async () => {
    const t = 555;
    expect((await world.admin('PUT', `/admin/v1/periods/${t}`, { state: 'open' })).status).toBe(200);
    expect((await params()).openPeriods).toContain(t);
    expect((await world.admin('DELETE', `/admin/v1/periods/${t}/paid-tokens`)).body.error).toBe('period-not-closed');
    expect((await world.admin('PUT', `/admin/v1/periods/${t}`, { state: 'closed' })).status).toBe(200);
    expect((await world.admin('DELETE', `/admin/v1/periods/${t}/paid-tokens`)).body).toEqual({ period: t, dropped: 0 });
    const meter = await world.meter('house-late');
    const [tok] = meter.tokens(1);
    const [c] = await mintCoins(world.wallet, 1);
    expect((await world.pay({ ...payBody(tok!, c!), period: t })).body.error).toBe('period-not-open');
  });
});
