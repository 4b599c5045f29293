/**
 * The household's batch receipt check spread over the machine's cores (issue 15 §5): a large batch is cut into one
 * chunk per worker thread, each worker decodes its chunk (the subgroup check of every ω included) and sums it
 * (protocol's receiptChunkSums), and this thread adds the sums and does the one pairing check. A batch that fails
 * it, or that the workers cannot take, is checked again in one piece (verifyReceiptsBatch), whose bisection names the
 * bad receipts: the answer is always verifyReceiptsBatch's. Small batches never leave this thread (the round trips
 * cost more than they save there: docs/performance.md). Workers start at the first large batch and live until close().
 *
 * Where the receipt-sums addon loads (native/), a chunk's decoding and sums are one native call, in the workers and
 * for the batches checked in this thread alike (there as the one chunk of the batch); the pairing check stays the
 * backend's. The addon lives here, not behind CurveBackend: it fuses a whole chunk, which only this check does, and
 * protocol/ stays pure (noble the reference, the backend's path the fallback, same answers).
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { receiptChunksMatch, verifyReceiptsBatch, type CurveBackend, type ReceiptChunkSums, type ReceiptItem } from '../protocol/index.js';
import { receiptSumsAddonOrNull } from './native/receipt-sums.js';
import { ITEM_BYTES, pack } from './receipt-chunk.js';
import type { ChunkAnswer, ChunkRequest } from './receipt-worker.js';

/** From this many receipts on a batch goes to the workers (the crossover measured in docs/performance.md). */
export const POOL_MIN_BATCH = 128;

export interface ReceiptCheckPool {
  /** verifyReceiptsBatch's answer for the same batch. @throws DecodeError when A2 does not decode. */
  verifyBatch(A2: Uint8Array, items: readonly ReceiptItem[], randomBytes: (n: number) => Uint8Array): Promise<{ ok: boolean; bad: number[] }>;
  /** Batches whose pairing check the workers' sums decided (the others were checked in this thread). */
  readonly checkedInWorkers: number;
  /** Batches checked in this thread on the addon's sums (not through verifyReceiptsBatch). */
  readonly checkedByAddonHere: number;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Worker threads (default: the cores available); below 2 every batch stays in this thread. */
  threads?: number;
  /** The smallest batch sent to the workers. */
  minBatch?: number;
  /** Sum chunks with the receipt-sums addon where it loads (default); false: always with the backend (benchmarks). */
  native?: boolean;
}

/**
 * The worker's entry: the bundle's sibling receipt-worker.mjs in the built app; from source (tsx, vitest) the .ts file,
 * loaded through tsx's loader, since Node 20 cannot load TypeScript by itself.
 */
function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './receipt-worker.ts' : './receipt-worker.mjs', import.meta.url).href;
  const boot = fromSource
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`
    : `import(${JSON.stringify(entry)})`;
  return new Worker(boot, { eval: true });
}

class Thread {
  private readonly pending = new Map<number, { resolve: (s: ReceiptChunkSums) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly worker: Worker, private readonly onFailure: () => void) {
    this.ready = new Promise((resolve, reject) => {
      worker.on('error', (e) => { this.fail(e); reject(e); });
      worker.on('exit', (code) => { const e = new Error(`receipt worker exited (${code})`); this.fail(e); reject(e); });
      worker.on('message', (m: 'ready' | ChunkAnswer) => {
        if (m !== 'ready') {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if ('sums' in m) p?.resolve(m.sums);
          else p?.reject(new Error(m.error));
        }
        if (this.pending.size === 0) worker.unref(); // an idle pool never holds the process open
        if (m === 'ready') resolve();
      });
    });
    this.ready.catch(() => {}); // a failed start reaches the pool through onFailure and the requests' rejections
  }

  /** Every request waiting gets the error; the pool checks in its own thread from then on. */
  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.onFailure();
  }

  sums(request: Omit<ChunkRequest, 'id'>): Promise<ReceiptChunkSums> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref(); // an answer awaited keeps the process alive
      this.worker.postMessage({ ...request, id } satisfies ChunkRequest, [request.items.buffer, request.coefficients.buffer]);
    });
  }

  async close(): Promise<void> {
    this.fail(new Error('the receipt-check pool is closed'));
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

export function receiptCheckPool(backend: CurveBackend, { threads = availableParallelism(), minBatch = POOL_MIN_BATCH, native = true }: PoolOptions = {}): ReceiptCheckPool {
  let workers: Thread[] | null = null;
  let broken = threads < 2;
  let checkedInWorkers = 0;
  let checkedByAddonHere = 0;
  const addon = native ? receiptSumsAddonOrNull() : null;
  const start = (): Thread[] =>
    (workers ??= Array.from({ length: threads }, () => new Thread(startWorker(), () => { broken = true; })));

  const inWorkers = async (A2: Uint8Array, items: readonly ReceiptItem[], randomBytes: (n: number) => Uint8Array): Promise<{ ok: boolean; bad: number[] } | null> => {
    const packed = pack(items);
    if (!packed) return null;
    const pool = start();
    await Promise.all(pool.map((t) => t.ready));
    const coefficients = randomBytes(16 * items.length); // one CSPRNG call for the whole batch
    const size = Math.ceil(items.length / pool.length);
    const chunks = await Promise.all(pool.map((t, c) => t.sums({
      backend: backend.name,
      native,
      items: packed.slice(ITEM_BYTES * size * c, ITEM_BYTES * size * (c + 1)),
      coefficients: coefficients.slice(16 * size * c, 16 * size * (c + 1)),
    })));
    const answer = fromChunks(A2, chunks, size);
    if (answer) checkedInWorkers++;
    return answer;
  };

  // The batch as one chunk, summed by the addon.
  const here = async (A2: Uint8Array, items: readonly ReceiptItem[], randomBytes: (n: number) => Uint8Array): Promise<{ ok: boolean; bad: number[] } | null> => {
    const packed = pack(items);
    if (!packed || !addon) return null;
    const answer = fromChunks(A2, [addon.receiptChunkSums(packed, randomBytes(16 * items.length))], items.length);
    if (answer) checkedByAddonHere++;
    return answer;
  };

  /** The batch's answer from its chunks' sums (`size` items each), or null when their pairing check fails. */
  const fromChunks = (A2: Uint8Array, chunks: readonly ReceiptChunkSums[], size: number): { ok: boolean; bad: number[] } | null => {
    if (!receiptChunksMatch(A2, chunks, backend)) return null;
    const bad = chunks.flatMap((s, c) => s.bad.map((i) => i + size * c));
    return { ok: bad.length === 0, bad };
  };

  return {
    async verifyBatch(A2, items, randomBytes) {
      const onSums = !broken && items.length >= minBatch ? inWorkers : addon ? here : null;
      // Whatever goes wrong on the way (a worker gone, A2 or the CSPRNG failing), the answer or the error is the
      // one-piece check's.
      const answer = await onSums?.(A2, items, randomBytes).catch(() => null);
      return answer ?? verifyReceiptsBatch(A2, items, randomBytes, backend);
    },
    get checkedInWorkers() {
      return checkedInWorkers;
    },
    get checkedByAddonHere() {
      return checkedByAddonHere;
    },
    async close() {
      broken = true;
      const pool = workers ?? [];
      workers = null;
      await Promise.all(pool.map((t) => t.close()));
    },
  };
}
