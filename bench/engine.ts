/**
 * `npm run bench:engine` → bench/engine.json (issue 5):
 * - tokens per second the engine pays end to end on loopback through the SOCKS hop (fresh connection per payment,
 *   real UC with coin redemption at the real mint, receipts verified in batches);
 * - the engine's idle CPU and RSS (this process also hosts the idle UC, mint and hop);
 * - time from bill to settled for K = 10,000: the receipts are issued with the UC's key directly into the wallet
 *   (10,000 network payments are the first figure's job), then the bill arrives and the engine combines, checks
 *   and settles with the real UC over the hop.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blstBackend } from '../curve-backends/index.js';
import { createEngine } from '../main/engine/index.js';
import { addProofs, openWalletDb, paymentReceipted, startPayment, tokensInState } from '../main/engine/wallet/index.js';
import {
  billGen, bytesToHex, closePeriod, issueReceipt, newMeterState, p256PublicKey, tokenGen, type MeterState,
} from '../protocol/index.js';
import { readReceiptKeyFile } from '../uc/index.js';
import { registerMeter, startServers } from '../scripts/demo-stack.js';
import { p256SecretKey } from '../scripts/uc-fixture.js';
import { TEST_WALLET_KEY, testUnlock } from '../scripts/test-wallet-key.js';

const PAY_TOKENS = Number(process.env.BENCH_PAY_TOKENS ?? 400);
const K = Number(process.env.BENCH_K ?? 10_000);
const IDLE_MS = 10_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const backend = blstBackend();


const dir = mkdtempSync(join(tmpdir(), 'sipster-bench-engine-'));
const servers = await startServers(dir);
try {
  const setKey = p256SecretKey();
  const billKey = p256SecretKey();
  await registerMeter(servers.uc.adminUrl, servers.adminToken,
    { meter: 'M-BENCH', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1, 2]);
  let meter: MeterState = newMeterState('M-BENCH', 1, 1, new Uint8Array(randomBytes(32)));
  const tokens = (n: number) => Array.from({ length: n }, () => { const g = tokenGen(meter, setKey, backend); meter = g.state; return g.token; });

  const dataDir = join(dir, 'home');
  let payDelay = 0;
  const engine = await createEngine({ unlock: testUnlock, dataDir, ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => payDelay, payConcurrency: CONCURRENCY, tickMs: 1000 });
  await engine.runOnce();
  await engine.topUp(PAY_TOKENS);

  // 1. Payments end to end.
  const batch = tokens(PAY_TOKENS);
  const hopBefore = servers.hop.log.length;
  const t0 = performance.now();
  for (const token of batch) engine.ingest({ kind: 'token', token });
  while ((await engine.getPeriod(1)).paid < PAY_TOKENS) await engine.runOnce();
  const payMs = performance.now() - t0;

  // 2. Idle.
  await new Promise((r) => setTimeout(r, 1000));
  const cpu0 = process.cpuUsage();
  const idle0 = performance.now();
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const cpu = process.cpuUsage(cpu0);
  const idleCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - idle0)) * 100;
  const rssMB = process.memoryUsage().rss / 2 ** 20;

  // 3. Bill to settled for K tokens.
  meter = closePeriod(meter);
  const big = tokens(K);
  payDelay = 1e12; // these are 'paid' below, not by the engine
  for (const token of big) engine.ingest({ kind: 'token', token });
  const db = openWalletDb(join(dataDir, 'wallet.sqlite'), TEST_WALLET_KEY); // a second connection (WAL): the receipts, as if paid
  const a = readReceiptKeyFile(join(dir, 'uc.key')).a;
  addProofs(db, Array.from({ length: K }, (_, i) => ({ id: 'bench', amount: 1, secret: `bench-${i}`, C: 'bench' })));
  const byT = new Map(big.map((t) => [bytesToHex(t.T), t]));
  for (const t of tokensInState(db, 'scheduled').filter((t) => t.period === 2)) {
    const p = startPayment(db, t.id);
    paymentReceipted(db, p.paymentId, issueReceipt(a, byT.get(bytesToHex(t.T))!.T, backend));
  }
  db.close();
  const bill = billGen(meter, 2, billKey, backend);
  const t1 = performance.now();
  engine.ingest({ kind: 'bill', bill });
  const settled = await engine.settle(2);
  const billToSettledMs = performance.now() - t1;
  if (settled.kind !== 'settled') throw new Error(`period of K = ${K} did not settle: ${JSON.stringify(settled)}`);

  await engine.close();
  const result = {
    generatedAt: new Date().toISOString(),
    machine: 'this 2-core workplace, shared; loopback; Node ' + process.version,
    payments: {
      tokens: PAY_TOKENS, wallMs: Math.round(payMs), tokensPerSecond: Number((PAY_TOKENS / (payMs / 1000)).toFixed(1)),
      hopConnections: servers.hop.log.length - hopBefore, concurrency: CONCURRENCY,
      note: 'engine + UC + mint + SOCKS hop in one process; one fresh SOCKS connection and username per payment',
    },
    idle: { seconds: IDLE_MS / 1000, cpuPercent: Number(idleCpuPercent.toFixed(2)), rssMB: Math.round(rssMB), note: 'whole bench process: engine (1 s tick) plus idle UC, mint and hop' },
    settlement: { K, billToSettledMs: Math.round(billToSettledMs), note: 'receipts issued with the UC key into the wallet; combine, local pairing check, POST /v1/settle over the hop' },
  };
  writeFileSync(join(import.meta.dirname, 'engine.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await servers.close();
  rmSync(dir, { recursive: true, force: true });
}
