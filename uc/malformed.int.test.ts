import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEncodedToken, getDecodedToken } from '@cashu/cashu-ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billMessage, bytesToHex, tokenMessage } from '../protocol/index.js';
import { backend, call, mintCoins, payBody, startUcWorld, type TestMeter, type UcWorld } from '../scripts/uc-fixture.js';

let dir: string;
let world: UcWorld;
let meter: TestMeter;
let coin: string;
let spentCoin: string;
let settled: Record<string, unknown>;
let A1: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-malformed-'));
  // A refused coin's token backs off for 1 ms only: backing off is abuse.int.test.ts's subject, not this corpus's.
  world = await startUcWorld({ ledger: { sqlite: join(dir, 'uc.sqlite') }, uc: { backoff: { baseMs: 1, maxMs: 1 } } });
  meter = await world.meter('m-1');
  [coin, spentCoin] = (await mintCoins(world.wallet, 2)) as [string, string];
  A1 = (await call(world.uc.url, 'GET', '/v1/params')).body.receiptKey.A1;
  const [t] = meter.tokens(1);
  const paid = await world.pay(payBody(t!, spentCoin!));
  settled = meter.settleBody([paid.body.receipt], A1);
  expect((await call(world.uc.url, 'POST', '/v1/settle', settled)).status).toBe(200);
});
afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

const IDENTITY = 'c0' + '00'.repeat(47);
const NOT_ON_CURVE = '80' + '00'.repeat(46) + '01'; // x = 1: x³ + 4 is not a square mod p
/** A token body whose point is `Thex`, signed with the real set key (so the point check, not the signature, must catch it). */
const signedToken = (Thex: string, period = world.period) => ({
  set: world.set, period, token: Thex, coin,
  signature: bytesToHex(backend.p256Sign(world.setSecretKey, tokenMessage(world.set, period, Buffer.from(Thex, 'hex')))),
});
const signedBill = (Rhex: string, combined: string) => ({
  meter: 'm-2', period: world.period, fault: false, bill: Rhex, combined,
  billSignature: bytesToHex(backend.p256Sign(bill2Key, billMessage('m-2', world.period, false, Buffer.from(Rhex, 'hex')))),
});
let bill2Key: Uint8Array;

type Case = [name: string, path: string, body: unknown, status: number, code: string, contentType?: string];

async function send(path: string, body: unknown, contentType = 'application/json') {
  const res = await fetch(world.uc.url + path, {
    method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json() as { error: string; message: string } };
}

/** A pay body without its coin: the body of /v1/receipt. */
const tokenOnly = ({ coin: _, ...token }: Record<string, unknown>) => token;

describe('malformed-request corpus: every one a 4xx JSON error, never a 5xx', () => {
  it('answers each case with its code', async () => {
    bill2Key = (await world.meter('m-2')).billSecretKey;
    const [t] = meter.tokens(1);
    const good = payBody(t!, coin!);
    const twoProofs = getEncodedToken({ mint: world.mintUrl, unit: 'sat', proofs: [
      ...getDecodedToken(coin!, world.wallet.keyChain.getAllKeysetIds()).proofs,
      ...getDecodedToken(spentCoin!, world.wallet.keyChain.getAllKeysetIds()).proofs] });
    const otherMint = getEncodedToken({ mint: 'http://127.0.0.1:1', unit: 'sat', proofs: getDecodedToken(coin!, world.wallet.keyChain.getAllKeysetIds()).proofs });
    const otherUnit = getEncodedToken({ mint: world.mintUrl, unit: 'eur', proofs: getDecodedToken(coin!, world.wallet.keyChain.getAllKeysetIds()).proofs });
    const G = bytesToHex(backend.g1ToBytes(backend.g1Generator()));
    const cases: Case[] = [
      ['garbage JSON', '/v1/pay', '{"set": 1, "period":', 400, 'bad-request'],
      ['not JSON at all', '/v1/pay', 'hello', 400, 'bad-request'],
      ['JSON null', '/v1/pay', 'null', 400, 'bad-request'],
      ['JSON array', '/v1/pay', [good], 400, 'bad-request'],
      ['empty body', '/v1/pay', '', 400, 'bad-request'],
      ['prototype pollution', '/v1/pay', `{"__proto__":{"x":1},"set":1}`, 400, 'bad-request'],
      ['deep nesting', '/v1/pay', '['.repeat(5000) + ']'.repeat(5000), 400, 'bad-request'],
      ['text/plain', '/v1/pay', JSON.stringify(good), 415, 'unsupported-media-type', 'text/plain'],
      ['huge body', '/v1/pay', { ...good, coin: 'x'.repeat(100_000) }, 413, 'body-too-large'],
      ['set as string', '/v1/pay', { ...good, set: '1' }, 400, 'bad-request'],
      ['fractional set', '/v1/pay', { ...good, set: 1.5 }, 400, 'bad-request'],
      ['negative period', '/v1/pay', { ...good, period: -1 }, 400, 'bad-request'],
      ['period ≥ 2^32', '/v1/pay', { ...good, period: 2 ** 32 }, 400, 'bad-request'],
      ['missing coin', '/v1/pay', { ...good, coin: undefined }, 400, 'bad-request'],
      ['extra field', '/v1/pay', { ...good, household: 'x' }, 400, 'bad-request'],
      ['token not hex', '/v1/pay', { ...good, token: 'zz'.repeat(48) }, 400, 'bad-request'],
      ['token too short', '/v1/pay', { ...good, token: good.token.slice(2) }, 400, 'bad-request'],
      ['token as number', '/v1/pay', { ...good, token: 5 }, 400, 'bad-request'],
      ['unknown set', '/v1/pay', { ...good, set: 9 }, 404, 'unknown-set'],
      ['other period', '/v1/pay', { ...good, period: world.period + 1 }, 409, 'period-not-open'],
      ['wrong signature', '/v1/pay', { ...good, signature: good.signature.replace(/^../, (b) => (b === '00' ? '01' : '00')) }, 400, 'bad-token'],
      ['high-S signature', '/v1/pay', { ...good, signature: good.signature.slice(0, 64) + 'ff'.repeat(32) }, 400, 'bad-token'],
      ['signature of another token', '/v1/pay', { ...good, token: G }, 400, 'bad-token'],
      ['identity point, signed', '/v1/pay', signedToken(IDENTITY), 400, 'bad-token'],
      ['point off the curve, signed', '/v1/pay', signedToken(NOT_ON_CURVE), 400, 'bad-token'],
      ['non-canonical point, signed', '/v1/pay', signedToken('9f' + 'ff'.repeat(47)), 400, 'bad-token'],
      ['coin not cashuB', '/v1/pay', { ...good, coin: 'cashuAeyJ0b2tlbiI6W119' }, 400, 'bad-coin'],
      ['coin garbage', '/v1/pay', { ...good, coin: 'cashuB!!!!' }, 400, 'bad-coin'],
      ['coin of two proofs', '/v1/pay', { ...good, coin: twoProofs }, 400, 'bad-coin'],
      ['coin of another mint', '/v1/pay', { ...good, coin: otherMint }, 400, 'bad-coin'],
      ['coin in another unit', '/v1/pay', { ...good, coin: otherUnit }, 400, 'bad-coin'],
      ['double-spent coin', '/v1/pay', { ...good, coin: spentCoin }, 402, 'coin-rejected'],
      ['replayed bill', '/v1/settle', settled, 409, 'already-settled'],
      ['unknown meter', '/v1/settle', { ...settled, meter: 'nobody' }, 404, 'unknown-meter'],
      ['meter ID with a slash', '/v1/settle', { ...settled, meter: 'a/b' }, 400, 'bad-request'],
      ['fault as 0', '/v1/settle', { ...settled, fault: 0 }, 400, 'bad-request'],
      ['bill of another meter', '/v1/settle', { ...settled, meter: 'm-2' }, 400, 'bad-bill'],
      ['identity bill point, signed', '/v1/settle', signedBill(IDENTITY, G), 400, 'bad-bill'],
      ['bill point off the curve, signed', '/v1/settle', signedBill(NOT_ON_CURVE, G), 400, 'bad-bill'],
      ['identity combined receipt', '/v1/settle', signedBill(G, IDENTITY), 422, 'settlement-mismatch'],
      ['garbage combined receipt', '/v1/settle', signedBill(G, 'ab'.repeat(48)), 422, 'settlement-mismatch'],
      ['receipt: garbage JSON', '/v1/receipt', '{"set": 1, "period":', 400, 'bad-request'],
      ['receipt: a coin sent along', '/v1/receipt', good, 400, 'bad-request'],
      ['receipt: huge body', '/v1/receipt', { ...tokenOnly(good), token: 'x'.repeat(100_000) }, 413, 'body-too-large'],
      ['receipt: wrong signature', '/v1/receipt', { ...tokenOnly(good), signature: good.signature.replace(/^../, (b) => (b === '00' ? '01' : '00')) }, 400, 'bad-token'],
      ['receipt: identity point, signed', '/v1/receipt', tokenOnly(signedToken(IDENTITY)), 400, 'bad-token'],
      ['receipt: other period', '/v1/receipt', { ...tokenOnly(good), period: world.period + 1 }, 409, 'period-not-open'],
      ['receipt: a token not paid', '/v1/receipt', tokenOnly(good), 404, 'not-paid'],
      ['no such route', '/v1/refund', {}, 404, 'not-found'],
    ];
    const got = [];
    for (const [name, path, body, , , type] of cases) got.push([name, await send(path, body, type)] as const);
    expect(got.map(([name, r]) => [name, r.status, r.body.error, r.type.split(';')[0], typeof r.body.message]))
      .toEqual(cases.map(([name, , , status, code]) => [name, status, code, 'application/json', 'string']));
    // Failed settlement attempts were counted for m-2, with their reasons, once its bill's signature verified.
    const rows = (await world.admin('GET', `/admin/v1/periods/${world.period}/settlements?status=unsettled`)).body;
    expect(rows.find((r: { meter: string }) => r.meter === 'm-2').failures.map((f: { reason: string }) => f.reason))
      .toEqual(['bad-bill:identity', 'bad-bill:not-on-curve', 'settlement-mismatch']);
    // The refused coin of the good token left it payable, and the coin itself unspent.
    expect((await world.pay(good)).body.status).toBe('paid');
  });

  it('answers random JSON bodies with a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.record({ set: fc.jsonValue(), period: fc.jsonValue(), token: fc.jsonValue(), signature: fc.jsonValue(), coin: fc.jsonValue() })), async (body) => {
        for (const path of ['/v1/pay', '/v1/receipt', '/v1/settle']) {
          const r = await send(path, body);
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});
