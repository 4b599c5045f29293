import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, verifyReceipt } from '../protocol/index.js';
import { backend, call, mintCoins, payBody, startUcWorld, type UcWorld } from '../scripts/uc-fixture.js';
import type { Token } from '../protocol/index.js';

let dir: string;
let world: UcWorld;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-receipt-'));
  world = await startUcWorld({ ledger: { sqlite: join(dir, 'uc.sqlite') } });
});
afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

const receiptBody = (t: Token) => ({ set: t.set, period: t.period, token: bytesToHex(t.T), signature: bytesToHex(t.sig) });
const ask = (body: unknown) => call(world.uc.url, 'POST', '/v1/receipt', body);
const ucAmount = async () => (await world.admin('GET', '/admin/v1/wallet')).body.amount as number;

describe('POST /v1/receipt (a rebuilt wallet asks for receipts of tokens it paid before), real HTTP, SQLite ledger', () => {
  it('answers the stored receipt of a paid token, and not-paid for one that is not, taking no coin either way', async () => {
    const meter = await world.meter('house-rebuilt');
    const [paid, unpaid] = meter.tokens(2);
    const [coin] = await mintCoins(world.wallet, 1);
    const first = await world.pay(payBody(paid!, coin!));
    expect(first.body.status).toBe('paid');
    const before = await ucAmount();

    const again = await ask(receiptBody(paid!));
    expect(again).toEqual({ status: 200, body: { receipt: first.body.receipt } });
    const { A2 } = (await call(world.uc.url, 'GET', '/v1/params')).body.receiptKey;
    expect(verifyReceipt(hexToBytes(A2), paid!.T, hexToBytes(again.body.receipt), backend)).toBe(true);
    expect(await ask(receiptBody(unpaid!))).toMatchObject({ status: 404, body: { error: 'not-paid' } });
    expect(await ucAmount()).toBe(before);
  });

  it('checks the token as /v1/pay does: set, open period, σ over T, T decodes; no coin field accepted', async () => {
    const meter = await world.meter('house-probe');
    const [t] = meter.tokens(1);
    const body = receiptBody(t!);
    expect((await ask({ ...body, set: 9 })).body.error).toBe('unknown-set');
    expect((await ask({ ...body, period: 4242 })).body.error).toBe('period-not-open');
    const otherSig = { ...body, signature: receiptBody(meter.tokens(1)[0]!).signature };
    expect(await ask(otherSig)).toMatchObject({ status: 400, body: { error: 'bad-token' } });
    expect(await ask({ ...body, token: 'ff'.repeat(48) })).toMatchObject({ status: 400, body: { error: 'bad-token' } });
    expect((await ask({ ...body, coin: 'cashuB' })).body.error).toBe('bad-request');
    expect((await ask({ set: 1 })).body.error).toBe('bad-request');
    expect((await ask('x'.repeat(20_000))).status).toBe(413);
  });
});
