/**
 * The UC beyond one machine: two UC processes on a PostgreSQL primary with a synchronous standby (Patroni, etcd,
 * HAProxy: scripts/pg-ha.ts), 64 clients paying, the primary SIGKILLed mid-load. Patroni promotes the standby; the UCs
 * follow through HAProxy by themselves. Checked afterwards: every acknowledged payment is in the ledger with the
 * receipt it was answered with, no token took two coins, and money is conserved (coins spent at the mint = receipts =
 * the UC's e-cash). The seconds without service are measured (docs/reliability.md) and kept in
 * test-results/uc-failover.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { getDecodedToken, Wallet } from '@cashu/cashu-ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bytesToHex } from '../../protocol/index.js';
import { PATRONI_TIMING, startPostgresHa, type PostgresHa } from '../../scripts/pg-ha.js';
import { call, mintCoins, payBody, startUcCluster, type UcCluster } from '../../scripts/uc-fixture.js';

const METERS = 8;
const TOKENS_PER_METER = 60;
const CLIENTS = 64;
const PERIOD = 1;
/** The whole load must end within this (a bounded loop: a UC that never comes back fails the test, not hangs it). */
const LOAD_DEADLINE_MS = 150_000;

let ha: PostgresHa;
let cluster: UcCluster;

beforeAll(async () => {
  ha = await startPostgresHa();
  cluster = await startUcCluster(ha.url);
});
afterAll(async () => {
  await cluster?.stop();
  await ha?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('loses no acknowledged payment and pays no token twice when the primary dies under load', async () => {
  const { ucs, admin, mintUrl } = cluster;
  const meters = await cluster.households(PERIOD, METERS);
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
        if (Date.now() - start > LOAD_DEADLINE_MS) {
          const mine = refusals.filter((r) => r.token === i).map((r) => `${r.status} ${r.error} +${r.at - killedAt} ms`);
          throw new Error(`token ${i} still unpaid after ${LOAD_DEADLINE_MS} ms (killed at +${killedAt - start} ms); its answers: ${[...new Set(mine)].slice(0, 12).join(', ')} (${mine.length} in all)`);
        }
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
        // As the engine does: Retry-After when the UC gives one (429 from its limits, 503 from the ledger).
        await sleep('retryAfterS' in reply && reply.retryAfterS !== undefined ? reply.retryAfterS * 1000 : reply.status === 409 ? 20 : 250);
      }
    }
  }));

  // Patroni promoted the other node; both UCs went on by themselves (no restart, no reconfiguration).
  const promoted = await ha.waitForLeader({ not: primary, timeoutMs: 1_000 });
  expect(promoted.name).not.toBe(primary.name);
  expect(killedAt).toBeGreaterThan(0);
  const after = acks.filter((x) => x.at > killedAt);
  expect(new Set(after.map((x) => x.uc))).toEqual(new Set([0, 1]));
  // Only the answers a failover may give: 503 with a reason, 429 from the UC's limits while every client retries, 409
  // for a token another request is paying, or a connection the UC could not answer on; never a 500.
  expect(refusals.filter((r) => ![0, 409, 429, 503].includes(r.status))).toEqual([]);
  expect(refusals.filter((r) => r.status === 503).every((r) => ['ledger-unavailable', 'mint-unavailable'].includes(r.error))).toBe(true);

  // Every acknowledged payment is in the ledger with the same receipt.
  expect(new Set(acks.map((x) => x.token)).size).toBe(N);
  for (const x of acks) {
    const r = await call(ucs[1]!.url, 'POST', '/v1/receipt', { set: 1, period: PERIOD, token: bytesToHex(tokens[x.token]!.T), signature: bytesToHex(tokens[x.token]!.sig) });
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
    answersDuringFailover: Object.fromEntries([...refusals.reduce((m, r) => m.set(`${r.status} ${r.error}`, (m.get(`${r.status} ${r.error}`) ?? 0) + 1), new Map<string, number>())]),
    patroni: PATRONI_TIMING,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', 'uc-failover.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(`uc-failover: ${JSON.stringify(figures)}`);
});
