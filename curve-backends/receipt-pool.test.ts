// The batch receipt check over real worker threads (receipt-pool.ts) and in this thread on the receipt-sums addon's sums,
// against the one-piece check (verifyReceiptsBatch).
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { issueReceipt, receiptKeyFromSecret, verifyReceiptsBatch, type ReceiptItem } from '../protocol/index.js';
import { smallOrderPoint, withComponent } from '../test/support/small-order.js';
import { blstBackend, receiptCheckPool } from './index.js';

const backend = blstBackend();
const key = receiptKeyFromSecret(0x5151_7a7a_0303_c4c4_9e9e_1212_8080_f0f0n);
const rng = (n: number) => new Uint8Array(randomBytes(n));
const scalar = () => BigInt(`0x${randomBytes(32).toString('hex')}`);
const batch = (n: number): ReceiptItem[] =>
  Array.from({ length: n }, () => {
    const T = backend.g1ToBytes(backend.g1Mul(backend.g1Generator(), scalar()));
    return { T, receipt: issueReceipt(key.a, T, backend) };
  });
const withReceipt = (items: readonly ReceiptItem[], i: number, receipt: Uint8Array) => items.map((it, j) => (j === i ? { ...it, receipt } : it));

describe('the receipt-check pool', () => {
  const pool = receiptCheckPool(backend, { threads: 2 });
  afterAll(() => pool.close());
  const thousand = batch(1000);

  it('accepts a good batch of 1,000 on the workers\' sums', async () => {
    const before = pool.checkedInWorkers;
    expect(await pool.verifyBatch(key.A2, thousand, rng)).toEqual({ ok: true, bad: [] });
    expect(pool.checkedInWorkers).toBe(before + 1);
  }, 60_000);

  it('finds a single bad ω in 1,000: another token\'s receipt, and one with a small-order tag', async () => {
    expect(await pool.verifyBatch(key.A2, withReceipt(thousand, 777, thousand[778]!.receipt), rng)).toEqual({ ok: false, bad: [777] });
    // The tag passes a bare pairing check: only a worker's subgroup check of that ω can name it.
    const before = pool.checkedInWorkers;
    expect(await pool.verifyBatch(key.A2, withReceipt(thousand, 613, withComponent(thousand[613]!.receipt, smallOrderPoint())), rng)).toEqual({ ok: false, bad: [613] });
    expect(pool.checkedInWorkers).toBe(before + 1);
  }, 60_000);

  const verdicts = (native: boolean) => async () => {
    const items = batch(90);
    const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
    const cases: ReceiptItem[][] = [
      items,
      withReceipt(items, 0, issueReceipt(key.a + 1n, items[0]!.T, backend)),
      withReceipt(withReceipt(items, 89, items[3]!.receipt), 44, withComponent(items[44]!.receipt, smallOrderPoint())),
      withReceipt(items, 50, bytes(48, 0xff)), // x ≥ p
      withReceipt(items, 12, bytes(47, 0x80)), // too short: stays in this thread
      items.map((it, i) => (i % 3 === 0 ? { ...it, receipt: bytes(48, 0) } : it)), // not compressed
      items.map((it) => ({ ...it, receipt: bytes(48, 0) })), // nothing decodes
      items.map((it, i) => ({ ...it, T: items[(i + 1) % items.length]!.T })), // every receipt for another token
    ];
    const small = receiptCheckPool(backend, { threads: 2, minBatch: 2, native });
    const here = receiptCheckPool(backend, { threads: 1, native });
    try {
      for (const c of cases) {
        const onePiece = verifyReceiptsBatch(key.A2, c, rng, backend);
        expect(await small.verifyBatch(key.A2, c, rng)).toEqual(onePiece);
        expect(await here.verifyBatch(key.A2, c, rng)).toEqual(onePiece);
      }
      // Decided on the chunks' sums: the batches whose bad receipts all fail decoding (the others are bisected here);
      // in this thread only with the addon.
      expect(small.checkedInWorkers).toBe(4);
      expect(here.checkedByAddonHere).toBe(native ? 4 : 0);
    } finally {
      await Promise.all([small.close(), here.close()]);
    }
  };
  it('gives the one-piece verdict on valid and invalid batches, with the addon\'s sums', verdicts(true), 120_000);
  it('gives the one-piece verdict on valid and invalid batches, with the backend\'s sums', verdicts(false), 120_000);

  it('keeps small batches in this thread, and checks there once closed', async () => {
    const local = receiptCheckPool(backend, { threads: 2 });
    const items = batch(20);
    expect(await local.verifyBatch(key.A2, items, rng)).toEqual({ ok: true, bad: [] });
    await local.close();
    expect(await local.verifyBatch(key.A2, withReceipt(thousand, 5, thousand[6]!.receipt), rng)).toEqual({ ok: false, bad: [5] });
    expect(await local.verifyBatch(key.A2, thousand, rng)).toEqual({ ok: true, bad: [] });
    expect(local.checkedInWorkers).toBe(0);
    expect(local.checkedByAddonHere).toBe(2); // the small batch and the good thousand; the bad one was bisected
  }, 60_000);

  it('throws what the one-piece check throws for a key that does not decode', async () => {
    await expect(pool.verifyBatch(new Uint8Array(96), thousand, rng)).rejects.toMatchObject({ code: 'non-canonical' });
  }, 60_000);
});
