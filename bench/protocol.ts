/**
 * npm run bench:protocol — medians per operation for every backend, in one run (issue 2).
 * Figures are per single operation (per receipt for batches). Writes bench/protocol.json.
 * `--quick` shrinks the largest sizes for a smoke run. The settlement check runs at K = 10 … 100,000 interleaved, in
 * rounds, with the 1-minute load average before and after (the machine is shared).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import {
  billGen, combineReceipts, issueReceipt, newMeterState, nobleBackend, p256PublicKey, receiptForToken, receiptKeyFromSecret,
  tokenGen, verifyReceipt, verifyReceiptsBatch, verifySettlement, verifySettlementPublic, type CurveBackend, type MeterState, type Token,
} from '../protocol/index.js';
import { blstBackend, POOL_MIN_BATCH, receiptCheckPool, receiptSumsAddon } from '../curve-backends/index.js';
import { measure, measureAsync, writeReport, type Op } from './measure.js';

const quick = process.argv.includes('--quick');
const rng = (n: number) => new Uint8Array(randomBytes(n));
const setKey = new Uint8Array(32).fill(11);
const setPub = p256PublicKey(setKey);
const billKey = new Uint8Array(32).fill(12);
const key = receiptKeyFromSecret(0x2468_ace0_1357_9bdf_0246_8ace_1357_9bdfn * 3n);

function period(K: number, backend: CurveBackend): { state: MeterState; tokens: Token[] } {
  let state = newMeterState('bench-1', 1, 1, new Uint8Array(32).fill(13));
  const tokens: Token[] = [];
  for (let i = 0; i < K; i++) {
    const r = tokenGen(state, setKey, backend);
    state = r.state;
    tokens.push(r.token);
  }
  return { state, tokens };
}

interface Settlement { K: number; R: Uint8Array; C: Uint8Array }
const settleSizes = quick ? [10, 100, 1000, 2000] : [10, 100, 1000, 10_000, 100_000];
const SETTLE_ROUNDS = quick ? 5 : 40;

/** Per K, the median of every single check over `rounds` rounds of `perRound` checks of each K in turn. */
function settleFlat(settlements: readonly Settlement[], backend: CurveBackend, rounds: number, perRound: number): { K: number; median_ms: number; n: number }[] {
  const times = settlements.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    settlements.forEach(({ R, C }, i) => {
      for (let j = 0; j < perRound; j++) {
        const t = performance.now();
        verifySettlement(key.a, R, C, backend);
        times[i]!.push(performance.now() - t);
      }
    });
  }
  return settlements.map(({ K }, i) => {
    const ts = times[i]!.sort((x, y) => x - y);
    const mid = ts.length >> 1;
    return { K, median_ms: Number((ts.length % 2 ? ts[mid]! : (ts[mid - 1]! + ts[mid]!) / 2).toPrecision(4)), n: ts.length };
  });
}

const ops: Record<string, Op> = {};
const loadBefore = loadavg()[0]!;
const workersLoad: number[] = [];
let flatness: { sizes: number[]; median_ms: number[]; rounds: number; per_round: number; load_average_1m: number[] } | undefined;
const blst = blstBackend();
receiptSumsAddon(); // the engine's batch path: this benchmark stops here, saying why, where it was not built
const backends: [CurveBackend, { big: boolean }][] = [[blst, { big: true }], [nobleBackend, { big: false }]];
const largest = quick ? 2_000 : 100_000;

for (const [backend, { big }] of backends) {
  const b = backend.name;
  const scale = b === 'noble' ? 0.2 : 1;
  const n = (x: number) => Math.max(5, Math.round(x * scale));
  let state = newMeterState('bench-1', 1, 1, new Uint8Array(32).fill(13));
  ops[`token_gen_${b}`] = measure(() => (state = tokenGen(state, setKey, backend).state), { n: n(300) });
  const { tokens } = period(big ? 2000 : 1000, backend);
  let k = 0;
  const next = () => tokens[k++ % tokens.length]!;
  ops[`receipt_issue_${b}`] = measure(() => receiptForToken(key.a, setPub, next(), backend), { n: n(500) });
  const items = tokens.map((t) => ({ T: t.T, receipt: issueReceipt(key.a, t.T, backend) }));
  ops[`receipt_verify_single_${b}`] = measure(() => { const it = items[k++ % items.length]!; verifyReceipt(key.A2, it.T, it.receipt, backend); }, { n: n(100) });
  // blst's batches also through the receipt-check pool (curve-backends/receipt-pool.ts), right after the one-core
  // figure of the same size so that all see the same load: `_native` in this thread on the receipt-sums addon's sums
  // (what the engine does below 128 receipts), `_workers` over one worker thread per core with the addon (the engine's
  // pool from 128 on), `_workers_blst` the same without the addon (the bindings' arithmetic in the workers). Every size
  // goes to the workers (minBatch 2) so that the crossover shows; each pool's first warm-up run starts its threads.
  const here = big ? receiptCheckPool(backend, { threads: 1 }) : null;
  const pools = big ? { workers: receiptCheckPool(backend, { minBatch: 2 }), workers_blst: receiptCheckPool(backend, { minBatch: 2, native: false }) } : {};
  for (const N of [10, 100, 1000]) {
    if (N > items.length) break;
    const batch = items.slice(0, N);
    if (here) workersLoad.push(loadavg()[0]!);
    ops[`receipt_verify_batch_n${N}_${b}`] = measure(() => verifyReceiptsBatch(key.A2, batch, rng, backend), { n: N === 1000 ? 9 : n(20), warmup: 1, per: N });
    if (!here) continue;
    const runs = { n: N === 1000 ? 9 : 20, warmup: 2, per: N };
    const onAddon = here.checkedByAddonHere;
    ops[`receipt_verify_batch_n${N}_native`] = await measureAsync(() => here.verifyBatch(key.A2, batch, rng), runs);
    if (here.checkedByAddonHere - onAddon !== runs.n + runs.warmup) throw new Error('a benchmark batch was not checked on the addon\'s sums');
    for (const [name, pool] of Object.entries(pools)) {
      const before = pool.checkedInWorkers;
      ops[`receipt_verify_batch_n${N}_${name}`] = await measureAsync(() => pool.verifyBatch(key.A2, batch, rng), runs);
      if (pool.checkedInWorkers - before !== runs.n + runs.warmup) throw new Error('a benchmark batch was not checked on the workers');
    }
  }
  if (here) workersLoad.push(loadavg()[0]!);
  await Promise.all([here, ...Object.values(pools)].map((p) => p?.close()));
  const sizes = big ? settleSizes : [10, 1000];
  const settlements: Settlement[] = [];
  for (const K of sizes) {
    // Receipts a·y_i·G1 straight from the scalars: combining and settling depend only on the receipts' count.
    const ys = Array.from({ length: K }, (_, i) => BigInt(i + 1) * 0x9e37_79b9_7f4a_7c15n);
    const receipts = ys.map((y) => backend.g1ToBytes(backend.g1Mul(backend.g1Generator(), key.a * y)));
    const mask = 0x1234_5678n;
    const R = backend.g1ToBytes(backend.g1Mul(backend.g1Generator(), ys.reduce((s, y) => s + y, 0n) - mask));
    let C: Uint8Array = new Uint8Array(0);
    const combine = () => (C = combineReceipts(receipts, mask, key.A1, backend));
    if (K === 10 || K === 1000 || K === largest) ops[`combine_k${K}_${b}`] = measure(combine, { n: K >= 100_000 ? 3 : n(10), warmup: 1 });
    else combine();
    if (!verifySettlement(key.a, R, C, backend) || !verifySettlementPublic(key.A2, R, C, backend)) throw new Error('benchmark settlement does not verify');
    settlements.push({ K, R, C });
  }
  // The UC's check does the same work whatever K is; measured interleaved (every K in each round) so the machine's
  // load, which changes over seconds here, falls on all sizes alike, and medians over all rounds.
  const settle = settleFlat(settlements, backend, big ? SETTLE_ROUNDS : 5, n(60));
  for (const { K, median_ms, n: count } of settle) ops[`settle_verify_k${K}_${b}`] = { median_ms, n: count };
  if (big) flatness = { sizes: settle.map((x) => x.K), median_ms: settle.map((x) => x.median_ms), rounds: SETTLE_ROUNDS, per_round: n(60), load_average_1m: [loadBefore, loadavg()[0]!] };
  const { state: s10 } = period(10, backend);
  ops[`bill_gen_${b}`] = measure(() => billGen(s10, 1, billKey, backend), { n: n(200) });
}

// The unsuffixed names are the per-process choice (docs/performance.md): blst wherever Node runs; the batch receipt
// check as the engine's pool runs it: in its thread on the addon's sums below POOL_MIN_BATCH (128), on the workers above.
for (const name of ['token_gen', 'receipt_issue', 'receipt_verify_single', 'combine_k10', 'combine_k1000', `combine_k${largest}`,
  'settle_verify_k10', `settle_verify_k${largest}`, 'bill_gen'])
  ops[name] = ops[`${name}_blst`]!;
for (const N of [10, 100, 1000]) ops[`receipt_verify_batch_n${N}`] = ops[`receipt_verify_batch_n${N}_${N >= POOL_MIN_BATCH ? 'workers' : 'native'}`]!;

const r = (a: string, b: string) => Number((ops[a]!.median_ms / ops[b]!.median_ms).toFixed(3));
// A --quick smoke run never overwrites the figures that docs/performance.md quotes.
writeReport(quick ? 'protocol.quick.json' : 'protocol.json', ops, {
  ratios: {
    settle_k_large_over_k10: r(`settle_verify_k${largest}`, 'settle_verify_k10'),
    settle_max_over_min: flatness && Number((Math.max(...flatness.median_ms) / Math.min(...flatness.median_ms)).toFixed(3)),
    batch_n1000_over_single: r('receipt_verify_batch_n1000', 'receipt_verify_single'),
    batch_n1000_native_over_blst: r('receipt_verify_batch_n1000_native', 'receipt_verify_batch_n1000_blst'),
    batch_n1000_workers_over_one_core: r('receipt_verify_batch_n1000_workers', 'receipt_verify_batch_n1000_native'),
    batch_n1000_workers_over_workers_blst: r('receipt_verify_batch_n1000_workers', 'receipt_verify_batch_n1000_workers_blst'),
    receipt_issue_noble_over_blst: r('receipt_issue_noble', 'receipt_issue_blst'),
    token_gen_noble_over_blst: r('token_gen_noble', 'token_gen_blst'),
  },
  settle_flatness: flatness,
  batch_workers: { threads: availableParallelism(), load_average_1m: workersLoad },
  load_average_1m: { start: loadBefore, end: loadavg()[0] },
  reference_c_pbc_ms: { receipt_issue: 1.7, token_gen: 3.2, receipt_verify_single: 1.5, settle_verify: 1.9 },
  quick,
});
