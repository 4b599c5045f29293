/**
 * One chunk of a batch receipt check, packed as the receipt-check pool sends it (receipt-pool.ts, in this thread or
 * a worker's): its sums from the receipt-sums addon where it loads (one native call), else from protocol's
 * receiptChunkSums over the curve backend. The answer is the same bytes either way (native/receipt-sums.test.ts).
 * @module
 */
import { receiptChunkSums, type CurveBackend, type ReceiptChunkSums, type ReceiptItem } from '../protocol/index.js';
import type { ReceiptSumsAddon } from './native/receipt-sums.js';

/** T then ω, 48 bytes each. */
export const ITEM_BYTES = 96;

/** T and ω of every item packed, or null when one is not 48 bytes (decoding names it bad: one piece). */
export function pack(items: readonly ReceiptItem[]): Uint8Array<ArrayBuffer> | null {
  const out = new Uint8Array(ITEM_BYTES * items.length);
  for (let i = 0; i < items.length; i++) {
    const { T, receipt } = items[i]!;
    if (!(T instanceof Uint8Array) || !(receipt instanceof Uint8Array) || T.length !== 48 || receipt.length !== 48) return null;
    out.set(T, ITEM_BYTES * i);
    out.set(receipt, ITEM_BYTES * i + 48);
  }
  return out;
}

/** receiptChunkSums of the packed items. */
export function packedChunkSums(items: Uint8Array, coefficients: Uint8Array, backend: CurveBackend, addon: ReceiptSumsAddon | null): ReceiptChunkSums {
  if (addon) return addon.receiptChunkSums(items, coefficients);
  const chunk = Array.from({ length: items.length / ITEM_BYTES }, (_, i) => ({
    T: items.subarray(ITEM_BYTES * i, ITEM_BYTES * i + 48),
    receipt: items.subarray(ITEM_BYTES * i + 48, ITEM_BYTES * (i + 1)),
  }));
  return receiptChunkSums(chunk, coefficients, backend);
}
