/**
 * The UC beyond one machine: two UC processes on a PostgreSQL primary with a synchronous standby (Patroni, etcd,
 * HAProxy: scripts/pg-ha.ts), 64 clients paying, the primary SIGKILLed mid-load. Patroni promotes the standby; the UCs
 * follow through HAProxy by themselves. Checked afterwards: every acknowledged payment is in the ledger with the
 * receipt it was answered with, no token took two coins, and money is conserved (coins spent at the mint = receipts =
 * the UC's e-cash). The seconds without service are measured (docs/reliability.md) and kept in
 * test-results/uc-failover.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDecodedToken, Wallet } from '@cashu/cashu-ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMint, type Mint } from '../../mint/index.js';
import { bytesToHex, p256PublicKey } from '../../protocol/index.js';
import { writeReceiptKeyFile } from '../../uc/index.js';
import { PATRONI_TIMING, startPostgresHa, type PostgresHa } from '../../scripts/pg-ha.js';
import { call, mintCoins, p256SecretKey, payBody, spawnUc, TestMeter, type UcProcess } from '../../scripts/uc-fixture.js';

const METERS = 8;
const TOKENS_PER_METER = 60;
const CLIENTS = 64;
const PERIOD = 1;
/** The whole load must end within this (a bounded loop: a UC that never comes back fails the test, not hangs it). */
const LOAD_DEADLINE_MS = 150_000;

let ha: PostgresHa;
let mint: Mint;
let mintUrl: string;
let dir: string;
let ucs: UcProcess[] = [];
const adminToken = 'e2e-admin-token';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-failover-'));
  ha = await startPostgresHa();
  mint = await createMint({ dbPath: join(dir, 'mint.sqlite') });
  mintUrl = await mint.listen(0, '127.0.0.1');
  const key = join(dir, 'uc.key');
  writeReceiptKeyFile(key);
  const env = { DATABASE_URL: ha.url, UC_ADMIN_TOKEN: adminToken };
  ucs = await Promise.all([0, 1].map(() => spawnUc(['--key', key, '--mint', mintUrl], env)));
});
afterAll(async () => {
  await Promise.allSettled(ucs.map((u) => u.stop()));
  await mint?.close();
  await ha?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('loses no acknowledged payment and pays no token twice when the primary dies under load', async () => {
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
  const tokens = meters.flatMap((m) => m.tokens(TOKENS_PER_METER));
  const N = tokens.length;
  const wallet = new Wallet(mintUrl, { unit: 'sat' });
  await wallet.loadMint();
  const coins = await mintCoins(wallet, N);

  // Each token is paid with its own coin, retried with that same coin until answered 200 (as the engine does:
  // a coin is reused for its token until the UC answers). Every answer is kept with its time.
  const start = Date.now();
  const acks: { token: number; receipt: string; status: string; at: number; uc: number }[] = [];
  const refusals: { token: number; status: number; error: string; at: number }[] = [];
  let next = 0;
  const primary = (await ha.leader())!;
  let killedAt = 0;
  const killAfter = Math.floor(N / 3);
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < N) {
      const i = next++;
      const uc = i % 2;
      for (;;) {
        if (Date.now() - start > LOAD_DEADLINE_MS) throw new Error(`token ${i} still unpaid after ${LOAD_DEADLINE_MS} ms`);
        const reply = await call(ucs[uc]!.url, 'POST', '/v1/pay', payBody(tokens[i]!, coins[i]!)).catch((e: Error) => ({ status: 0, body: { error: e.message } }));
        if (reply.status === 200) {
          acks.push({ token: i, receipt: reply.body.receipt, status: reply.body.status, at: Date.now(), uc });
          if (acks.length === killAfter) {
            killedAt = Date.now();
            ha.kill(primary);
          }
          break;
        }
        refusals.push({ token: i, status: reply.status, error: reply.body.error, at: Date.now() });
        await sleep(reply.status === 409 ? 20 : 250);
      }
    }
  }));

  // Patroni promoted the other node; both UCs went on by themselves (no restart, no reconfiguration).
  const promoted = await ha.waitForLeader({ not: primary, timeoutMs: 1_000 });
  expect(promoted.name).not.toBe(primary.name);
  expect(killedAt).toBeGreaterThan(0);
  const after = acks.filter((x) => x.at > killedAt);
  expect(new Set(after.map((x) => x.uc))).toEqual(new Set([0, 1]));
  // Only the answers a failover may give: 503 with a reason (or a connection the UC could not answer on), never a 500.
  expect(refusals.filter((r) => ![0, 409, 503].includes(r.status))).toEqual([]);
  expect(refusals.filter((r) => r.status === 503).every((r) => ['ledger-unavailable', 'mint-unavailable'].includes(r.error))).toBe(true);

  // Every acknowledged payment is in the ledger with the same receipt.
  expect(new Set(acks.map((x) => x.token)).size).toBe(N);
  for (const x of acks) {
    const r = await call(b.url, 'POST', '/v1/receipt', { set: 1, period: PERIOD, token: bytesToHex(tokens[x.token]!.T), signature: bytesToHex(tokens[x.token]!.sig) });
    expect(r.body.receipt).toBe(x.receipt);
  }
  // Money: each coin spent exactly once at the mint, one per token; the UC holds exactly N units; N tokens paid.
  const proofs = coins.map((c) => getDecodedToken(c, wallet.keyChain.getAllKeysetIds()).proofs[0]!);
  const states = await wallet.checkProofsStates(proofs);
  expect(states.filter((s) => s.state === 'SPENT')).toHaveLength(N);
  expect((await admin('GET', '/admin/v1/wallet')).body.amount).toBe(N);
  expect((await admin('GET', '/admin/v1/periods')).body).toEqual([{ period: PERIOD, state: 'open', paidTokens: N }]);

  // Seconds without service: the longest stretch after the kill with no payment acknowledged by either UC.
  const times = [killedAt, ...after.map((x) => x.at).sort((x, y) => x - y)];
  const gapMs = Math.max(...times.slice(1).map((t, k) => t - times[k]!));
  const figures = {
    date: new Date().toISOString(), payments: N, clients: CLIENTS, ucs: 2,
    secondsWithoutService: Math.round(gapMs / 100) / 10,
    firstPaymentAfterKillS: Math.round((after[0]!.at - killedAt) / 100) / 10,
    refusedDuringFailover: refusals.filter((r) => r.status !== 409).length,
    patroni: PATRONI_TIMING,
    loadavg: (await import('node:os')).loadavg().map((l) => Math.round(l * 100) / 100),
  };
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', 'uc-failover.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(`uc-failover: ${JSON.stringify(figures)}`);
});
