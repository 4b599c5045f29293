// The UC under abuse, over real HTTP with the project's mint: poisoned coins (spent, forged) among honest payments.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from '@cashu/cashu-ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hexToBytes, verifyReceipt } from '../protocol/index.js';
import { backend, call, mintCoins, payBody, poisonedCoins, startUcWorld, type Reply, type UcWorld } from '../scripts/uc-fixture.js';

let dir: string;
let world: UcWorld;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-abuse-'));
  world = await startUcWorld({ ledger: { sqlite: join(dir, 'uc.sqlite') } });
});
afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('poisoned coins among honest payments', () => {
  it('1 poisoned coin per 10 honest payments at 16 clients: every honest payment receipted, no 5xx', async () => {
    const clients = 16;
    const honestPerClient = 10;
    const { receiptKey } = (await call(world.uc.url, 'GET', '/v1/params')).body;
    const before = (await world.admin('GET', '/admin/v1/wallet')).body.amount;
    const coins = await mintCoins(world.wallet, clients * honestPerClient);
    const poison = await poisonedCoins(world.wallet, clients);
    const attacker = await world.meter('attacker');
    const runs = await Promise.all(Array.from({ length: clients }, async (_, c) => {
      const meter = await world.meter(`honest-${c}`);
      const tokens = meter.tokens(honestPerClient);
      const [poisonToken] = attacker.tokens(1);
      const honest: { reply: Reply; T: Uint8Array }[] = [];
      const poisoned: Reply[] = [];
      for (const [i, t] of tokens.entries()) {
        honest.push({ reply: await world.pay(payBody(t, coins[c * honestPerClient + i]!)), T: t.T });
        // Half the clients' poison is a spent coin, half a forged one, each sent midway through.
        if (i === 4) poisoned.push(await world.pay(payBody(poisonToken!, (c % 2 ? poison.forged : poison.spent)[c]!)));
      }
      return { honest, poisoned };
    }));
    const honest = runs.flatMap((r) => r.honest);
    expect(honest.filter((h) => h.reply.status !== 200).map((h) => h.reply.body)).toEqual([]);
    for (const { reply, T } of honest) {
      expect(reply.body.status).toBe('paid');
      expect(verifyReceipt(hexToBytes(receiptKey.A2), T, hexToBytes(reply.body.receipt), backend)).toBe(true);
    }
    const poisoned = runs.flatMap((r) => r.poisoned);
    expect(poisoned).toHaveLength(clients);
    expect(poisoned.every((p) => p.status === 402 && p.body.error === 'coin-rejected')).toBe(true);
    // Money is conserved: the UC holds exactly the honest coins.
    expect((await world.admin('GET', '/admin/v1/wallet')).body.amount).toBe(before + clients * honestPerClient);
    expect(world.uc.redemptionStats.stateChecks).toBeGreaterThan(0);
  });

  it('a token whose coin was refused backs off: 429 with Retry-After, then pays with a good coin', async () => {
    const [spent] = (await poisonedCoins(world.wallet, 1)).spent;
    const [good] = await mintCoins(world.wallet, 1);
    const meter = await world.meter('retrier');
    const [t] = meter.tokens(1);
    expect((await world.pay(payBody(t!, spent!))).body.error).toBe('coin-rejected');
    const res = await fetch(`${world.uc.url}/v1/pay`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payBody(t!, good!)),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: 'rate-limited' });
    const wait = Number(res.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, wait * 1000));
    expect((await world.pay(payBody(t!, good!))).body.status).toBe('paid');
  });
});

describe('limits that identify no one', () => {
  let limited: UcWorld;
  beforeAll(async () => {
    limited = await startUcWorld({
      ledger: { sqlite: join(dir, 'limited.sqlite') },
      uc: { limits: { perToken: { max: 2, windowMs: 60_000 }, perSet: { max: 6, windowMs: 60_000 }, perMeter: { max: 1, windowMs: 60_000 } } },
    });
  });
  afterAll(() => limited?.close());

  const retryAfter = async (base: string, path: string, body: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json(), retryAfter: Number(res.headers.get('retry-after')) };
  };

  it('counts requests per token and per set (never per address): over either, 429 with Retry-After', async () => {
    const meter = await limited.meter('busy');
    const [a, b, c, d, e] = meter.tokens(5);
    const coins = await mintCoins(limited.wallet, 5);
    expect((await limited.pay(payBody(a!, coins[0]!))).body.status).toBe('paid');
    expect((await limited.pay(payBody(a!, coins[1]!))).body.status).toBe('already-paid');
    const third = await retryAfter(limited.uc.url, '/v1/pay', payBody(a!, coins[1]!));
    expect(third).toMatchObject({ status: 429, body: { error: 'rate-limited' } });
    expect(third.retryAfter).toBeGreaterThan(1);
    // The set has had 3 requests: 3 more tokens pass, the 7th request of the set does not.
    for (const [i, t] of [b, c, d].entries()) expect((await limited.pay(payBody(t!, coins[i + 1]!))).body.status).toBe('paid');
    expect(await retryAfter(limited.uc.url, '/v1/pay', payBody(e!, coins[4]!))).toMatchObject({ status: 429, body: { error: 'rate-limited' } });
  });

  it('counts settlement attempts per meter', async () => {
    const { receiptKey } = (await call(limited.uc.url, 'GET', '/v1/params')).body;
    const meter = await limited.meter('settler');
    const body = { ...meter.settleBody([], receiptKey.A1), billSignature: '00'.repeat(64) };
    expect((await call(limited.uc.url, 'POST', '/v1/settle', body)).status).toBe(400);
    expect(await retryAfter(limited.uc.url, '/v1/settle', body)).toMatchObject({ status: 429, body: { error: 'rate-limited' } });
  });
});

describe('a route\'s concurrency cap', () => {
  it('handles at most so many payments at once, lines up so many more, and answers the rest 429 at once', async () => {
    // The mint behind a door: swaps wait there until it opens, so requests stay in the UC as long as the test wants.
    let target = '';
    let open = () => {};
    const door = new Promise<void>((r) => (open = r));
    let swapsWaiting = 0;
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.url === '/v1/swap') (swapsWaiting++, await door);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const up = await fetch(target + req.url, { method: req.method, headers: body ? { 'content-type': 'application/json' } : {}, body });
      res.writeHead(up.status, { 'content-type': 'application/json' }).end(Buffer.from(await up.arrayBuffer()));
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const world = await startUcWorld({
      ledger: { sqlite: join(dir, 'door.sqlite') },
      uc: { mint: { url: proxyUrl, unit: 'sat' }, limits: { concurrency: { pay: { max: 1, queued: 1 }, receipt: { max: 1, queued: 0 }, settle: { max: 1, queued: 0 } } } },
    });
    target = world.mintUrl;
    try {
      const wallet = new Wallet(proxyUrl, { unit: 'sat' });
      await wallet.loadMint();
      const meter = await world.meter('door');
      const tokens = meter.tokens(3);
      const coins = await mintCoins(wallet, 3);
      const first = world.pay(payBody(tokens[0]!, coins[0]!));
      await vi.waitUntil(() => swapsWaiting === 1); // the first payment is at the mint, in the route's one slot
      const second = world.pay(payBody(tokens[1]!, coins[1]!)); // lines up
      const third = await world.pay(payBody(tokens[2]!, coins[2]!));
      expect(third).toMatchObject({ status: 429, body: { error: 'rate-limited' } });
      open();
      expect((await first).body.status).toBe('paid');
      expect((await second).body.status).toBe('paid');
      expect((await world.pay(payBody(tokens[2]!, coins[2]!))).body.status).toBe('paid');
    } finally {
      open();
      await world.close();
      proxy.close();
    }
  });
});
