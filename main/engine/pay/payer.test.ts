// badReceipts, the one receipt check of the payer and of a recovery's lookups, with and without the engine's pool.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { blstBackend, receiptCheckPool } from '../../../curve-backends/index.js';
import { issueReceipt, receiptKeyFromSecret } from '../../../protocol/index.js';
import { badReceipts } from './payer.js';

const backend = blstBackend();
const key = receiptKeyFromSecret(0x0bad_5eed_0bad_5eed_0bad_5eed_0bad_5eedn);

it('checks a lookup round of 256 receipts over the receipt pool, and names the one that does not verify', async () => {
  const items = Array.from({ length: 256 }, () => {
    const T = backend.g1ToBytes(backend.g1Mul(backend.g1Generator(), BigInt(`0x${randomBytes(32).toString('hex')}`)));
    return { T, receipt: issueReceipt(key.a, T, backend) };
  });
  const receiptPool = receiptCheckPool(backend, { threads: 2 });
  try {
    expect(await badReceipts({ A2: key.A2, backend, receiptPool }, items)).toEqual([]);
    expect(receiptPool.checkedInWorkers).toBe(1);
    const wrong = items.map((it, i) => (i === 200 ? { ...it, receipt: items[3]!.receipt } : it));
    expect(await badReceipts({ A2: key.A2, backend, receiptPool }, wrong)).toEqual([200]);
    expect(await badReceipts({ A2: key.A2, backend }, wrong)).toEqual([200]);
  } finally {
    await receiptPool.close();
  }
}, 60_000);
