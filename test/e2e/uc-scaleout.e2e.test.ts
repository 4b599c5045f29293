/**
 * Two UC processes on one PostgreSQL, one mint, 64 concurrent clients: every token paid exactly once, every coin
 * redeemed at most once, coins taken = receipts issued, duplicate pays and double-spent coins spread over both
 * processes, zero 5xx; then every household settles through either process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDecodedToken, Wallet } from '@cashu/cashu-ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMint, type Mint } from '../../mint/index.js';
import { bytesToHex, hexToBytes, p256PublicKey, verifyReceipt } from '../../protocol/index.js';
import { writeReceiptKeyFile } from '../../uc/index.js';
import { startPostgres, type Postgres } from '../../scripts/pg.js';
import { backend, call, mintCoins, p256SecretKey, payBody, spawnUc, TestMeter, type Reply, type UcProcess } from '../../scripts/uc-fixture.js';

const METERS = 8;
const TOKENS_PER_METER = 20;
const CLIENTS = 64;
const PERIOD = 1;

let pg: Postgres;
let mint: Mint;
let mintUrl: string;
let dir: string;
let ucs: UcProcess[] = [];
const adminToken = 'e2e-admin-token';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-e2e-'));
  pg = await startPostgres();
  mint = await createMint({ dbPath: join(dir, 'mint.sqlite') });
  mintUrl = await mint.listen(0, '127.0.0.1');
  const key = join(dir, 'uc.key');
  writeReceiptKeyFile(key);
  const env = { DATABASE_URL: pg.url, UC_ADMIN_TOKEN: adminToken };
  // Started together: the migration runs once, under PostgreSQL's advisory lock.
  ucs = await Promise.all([0, 1].map(() => spawnUc(['--key', key, '--mint', mintUrl], env)));
});
afterAll(async () => {
  await Promise.allSettled(ucs.map((u) => u.stop()));
  await mint?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `tasks` with `n` workers. */
async function pool<T>(tasks: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  }));
  return out;
}

it('pays every token exactly once and conserves money across two UC processes', async () => {
  const [a, b] = ucs as [UcProcess, UcProcess];
  const admin = (method: string, path: string, body?: unknown) => call(a.adminUrl, method, path, body, { authorization: `Bearer ${adminToken}` });
  const setSecretKey = p256SecretKey();
  expect((await admin('POST', '/admin/v1/sets', { set: 1, tokenPublicKey: bytesToHex(p256PublicKey(setSecretKey)) })).status).toBe(201);
  expect((await admin('PUT', `/admin/v1/periods/${PERIOD}`, { state: 'open' })).status).toBe(200);
  const meters: TestMeter[] = [];
  for (let m = 0; m < METERS; m++) {
    const billSecretKey = p256SecretKey();
    await admin('POST', '/admin/v1/meters', { meter: `house-${m}`, billPublicKey: bytesToHex(p256PublicKey(billSecretKey)), set: 1 });
    meters.push(new TestMeter(`house-${m}`, 1, PERIOD, setSecretKey, billSecretKey));
  }
  const tokens = meters.flatMap((m) => m.tokens(TOKENS_PER_METER).map((t) => ({ meter: m, t })));
  const N = tokens.length;
  const wallet = new Wallet(mintUrl, { unit: 'sat' });
  await wallet.loadMint();
  const coins = await mintCoins(wallet, N + N / 2);
  const ucAt = (i: number) => (i % 2 ? b : a);

  // Round 1: each token with its own coin; a quarter paid twice at once (other coin, other process); a quarter's
  // coins also sent at once for another token (a double spend, other process).
  type Req = { token: number; coin: number; uc: UcProcess };
  const reqs: Req[] = tokens.map((_, i) => ({ token: i, coin: i, uc: ucAt(i) }));
  for (let k = 0; k < N / 4; k++) reqs.push({ token: k, coin: N + k, uc: ucAt(k + 1) });
  for (let k = 0; k < N / 4; k++) reqs.push({ token: N / 2 + k, coin: N / 4 + k, uc: ucAt(k + 1) });
  reqs.sort(() => Math.random() - 0.5);
  const replies: (Reply & Req)[] = [];
  const payOnce = (r: Req) => async () => {
    let reply: Reply;
    for (;;) {
      reply = await call(r.uc.url, 'POST', '/v1/pay', payBody(tokens[r.token]!.t, coins[r.coin]!));
      // A token whose coin was refused backs off (429, Retry-After ≥ 1 s): the household waits, then pays again.
      if (reply.status === 429) await new Promise((ok) => setTimeout(ok, 1_000));
      else if (!(reply.status === 409 && reply.body.error === 'payment-in-progress')) break;
    }
    replies.push({ ...reply, ...r });
  };
  await pool(reqs.map(payOnce), CLIENTS);
  // Round 2: the household pays what is still unpaid with fresh coins (coins whose double spend won elsewhere).
  const paidTokens = () => new Set(replies.filter((r) => r.status === 200).map((r) => r.token));
  const unpaid = tokens.map((_, i) => i).filter((i) => !paidTokens().has(i));
  let fresh = N + N / 4;
  await pool(unpaid.map((i) => payOnce({ token: i, coin: fresh++, uc: ucAt(i) })), CLIENTS);

  expect(replies.filter((r) => r.status >= 500)).toEqual([]);
  expect(new Set(replies.map((r) => r.status))).toEqual(new Set([200, 402]));
  expect(paidTokens().size).toBe(N);
  // One receipt per token, whichever process and request answered it, and it verifies.
  const A2 = hexToBytes((await call(b.url, 'GET', '/v1/params')).body.receiptKey.A2);
  const receiptOf = new Map<number, string>();
  for (const r of replies.filter((x) => x.status === 200)) {
    expect(receiptOf.get(r.token) ?? r.body.receipt).toBe(r.body.receipt);
    receiptOf.set(r.token, r.body.receipt);
  }
  for (const [i, w] of receiptOf) expect(verifyReceipt(A2, tokens[i]!.t.T, hexToBytes(w), backend)).toBe(true);

  // Money: each token took exactly one coin; no coin paid twice; the mint's spent coins are exactly those.
  const taking = replies.filter((r) => r.status === 200 && r.body.status === 'paid');
  expect(taking).toHaveLength(N);
  expect(new Set(taking.map((r) => r.coin)).size).toBe(N);
  const used = coins.slice(0, fresh);
  const proofs = used.map((c) => getDecodedToken(c, wallet.keyChain.getAllKeysetIds()).proofs[0]!);
  const states = await wallet.checkProofsStates(proofs);
  const spent = states.map((s, i) => (s.state === 'SPENT' ? i : -1)).filter((i) => i >= 0);
  expect(spent.sort((x, y) => x - y)).toEqual(taking.map((r) => r.coin).sort((x, y) => x - y));
  expect((await admin('GET', '/admin/v1/wallet')).body.amount).toBe(N);
  expect((await admin('GET', '/admin/v1/periods')).body).toEqual([{ period: PERIOD, state: 'open', paidTokens: N }]);

  // Every household settles, through either process, with one combined receipt; a replay is refused.
  const A1 = (await call(a.url, 'GET', '/v1/params')).body.receiptKey.A1;
  const settles = await Promise.all(meters.map((m, i) => {
    const mine = tokens.map((x, j) => (x.meter === m ? receiptOf.get(j)! : '')).filter(Boolean);
    return call(ucAt(i).url, 'POST', '/v1/settle', m.settleBody(mine, A1));
  }));
  expect(settles.map((s) => s.status)).toEqual(Array(METERS).fill(200));
  const unsettled = await admin('GET', `/admin/v1/periods/${PERIOD}/settlements?status=unsettled`);
  expect(unsettled.body).toEqual([]);
});
