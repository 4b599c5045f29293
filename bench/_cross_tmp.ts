import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { blstBackend, receiptCheckPool } from '../curve-backends/index.js';
import { issueReceipt, receiptKeyFromSecret, verifyReceiptsBatch } from '../protocol/index.js';
const be = blstBackend();
const key = receiptKeyFromSecret(77n);
const all = Array.from({ length: 1000 }, () => { const T = be.g1ToBytes(be.g1Mul(be.g1Generator(), BigInt('0x' + randomBytes(32).toString('hex')))); return { T, receipt: issueReceipt(key.a, T, be) }; });
const rng = (n: number) => new Uint8Array(randomBytes(n));
const pool = receiptCheckPool(be, { threads: 2, minBatch: 2 });
await pool.verifyBatch(key.A2, all.slice(0, 10), rng);
const med = (xs: number[]) => { xs.sort((a, b) => a - b); return xs[xs.length >> 1]!; };
console.log('load', loadavg());
for (const N of (process.argv[2] ?? '8,16,32,64,128,256,1000').split(',').map(Number)) {
  const items = all.slice(0, N);
  const a: number[] = [], b: number[] = [];
  const reps = N >= 1000 ? 5 : N >= 128 ? 11 : 21;
  for (let r = 0; r < reps; r++) {
    let t = performance.now(); await pool.verifyBatch(key.A2, items, rng); a.push((performance.now() - t) * 1000 / N);
    t = performance.now(); verifyReceiptsBatch(key.A2, items, rng, be); b.push((performance.now() - t) * 1000 / N);
  }
  console.log(`N=${String(N).padStart(4)} workers ${med(a).toFixed(1).padStart(7)} µs/receipt  one core ${med(b).toFixed(1).padStart(7)}  ratio ${(med(a) / med(b)).toFixed(2)}`);
}
console.log('load', loadavg());
await pool.close();
