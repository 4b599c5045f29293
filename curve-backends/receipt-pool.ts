/**
 * The household's batch receipt check spread over the machine's cores (issue 15 §5): a large batch is cut into one
 * chunk per worker thread, each worker decodes its chunk (the subgroup check of every ω included) and sums it
 * (protocol's receiptChunkSums), and this thread adds the sums and does the one pairing check. A batch that fails
 * it, or that the workers cannot take, is checked again in one piece (verifyReceiptsBatch), whose bisection names the
 * bad receipts: the answer is always verifyReceiptsBatch's. Small batches never leave this thread (the round trips
 * cost more than they save there: docs/performance.md). Workers start at the first large batch and live until close().
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { receiptChunksMatch, verifyReceiptsBatch, type CurveBackend, type ReceiptChunkSums, type ReceiptItem } from '../protocol/index.js';
import type { ChunkAnswer, ChunkRequest } from './receipt-worker.js';

/** From this many receipts on a batch goes to the workers (the crossover measured in docs/performance.md). */
export const POOL_MIN_BATCH = 128;

export interface ReceiptCheckPool {
  /** verifyReceiptsBatch's answer for the same batch. @throws DecodeError when A2 does not decode. */
  verifyBatch(A2: Uint8Array, items: readonly ReceiptItem[], randomBytes: (n: number) => Uint8Array): Promise<{ ok: boolean; bad: number[] }>;
  /** Batches whose pairing check the workers' sums decided (the others were checked in this thread). */
  readonly checkedInWorkers: number;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Worker threads (default: the cores available); below 2 every batch stays in this thread. */
  threads?: number;
  /** The smallest batch sent to the workers. */
  minBatch?: number;
}

const ITEM_BYTES = 96;

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

/** T and ω of every item packed for a worker, or null when one is not 48 bytes (decoding names it bad: one piece). */
function pack(items: readonly ReceiptItem[]): Uint8Array | null {
  const out = new Uint8Array(ITEM_BYTES * items.length);
  for (let i = 0; i < items.length; i++) {
    const { T, receipt } = items[i]!;
    if (!(T instanceof Uint8Array) || !(receipt instanceof Uint8Array) || T.length !== 48 || receipt.length !== 48) return null;
    out.set(T, ITEM_BYTES * i);
    out.set(receipt, ITEM_BYTES * i + 48);
  }
  return out;
}

export function receiptCheckPool(backend: CurveBackend, { threads = availableParallelism(), minBatch = POOL_MIN_BATCH }: PoolOptions = {}): ReceiptCheckPool {
  let workers: Thread[] | null = null;
  let broken = threads < 2;
  let checkedInWorkers = 0;
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
      items: packed.slice(ITEM_BYTES * size * c, ITEM_BYTES * size * (c + 1)),
      coefficients: coefficients.slice(16 * size * c, 16 * size * (c + 1)),
    })));
    if (!receiptChunksMatch(A2, chunks, backend)) return null;
    checkedInWorkers++;
    const bad = chunks.flatMap((s, c) => s.bad.map((i) => i + size * c));
    return { ok: bad.length === 0, bad };
  };

  return {
    async verifyBatch(A2, items, randomBytes) {
      if (!broken && items.length >= minBatch) {
        // Whatever goes wrong on the way (a worker gone, A2 or the CSPRNG failing), the answer or the error is the
        // one-piece check's.
        const answer = await inWorkers(A2, items, randomBytes).catch(() => null);
        if (answer) return answer;
      }
      return verifyReceiptsBatch(A2, items, randomBytes, backend);
    },
    get checkedInWorkers() {
      return checkedInWorkers;
    },
    async close() {
      broken = true;
      const pool = workers ?? [];
      workers = null;
      await Promise.all(pool.map((t) => t.close()));
    },
  };
}
