/**
 * A worker thread of the receipt-check pool (receipt-pool.ts): decodes its chunk of a batch (every ω with its
 * subgroup check) and answers the chunk's two sums, with the receipt-sums addon when the pool asks for it and it loads
 * here. Started by the pool only; answers one request at a time.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { nobleBackend, type CurveBackend, type ReceiptChunkSums } from '../protocol/index.js';
import { blstBackend } from './blst.js';
import { receiptSumsAddonOrNull } from './native/receipt-sums.js';
import { packedChunkSums } from './receipt-chunk.js';

/** `items`: T and ω of each receipt, 48 + 48 bytes, packed; `coefficients`: 16 random bytes per receipt. */
export interface ChunkRequest { id: number; backend: string; native: boolean; items: Uint8Array<ArrayBuffer>; coefficients: Uint8Array<ArrayBuffer> }
export type ChunkAnswer = { id: number } & ({ sums: ReceiptChunkSums } | { error: string });

const backends = new Map<string, () => CurveBackend>([['blst', blstBackend], ['noble', () => nobleBackend]]);

parentPort!.on('message', ({ id, backend, native, items, coefficients }: ChunkRequest) => {
  let answer: ChunkAnswer;
  try {
    const make = backends.get(backend);
    if (!make) throw new Error(`no curve backend named ${backend} in a worker`);
    answer = { id, sums: packedChunkSums(items, coefficients, make(), native ? receiptSumsAddonOrNull() : null) };
  } catch (e) {
    answer = { id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(answer);
});
parentPort!.postMessage('ready');
