// The UC under abuse, over real HTTP with the project's mint: poisoned coins (spent, forged) among honest payments.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
