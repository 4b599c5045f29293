/**
 * NUT-13 counters in the wallet database (cashu-ts `CounterSource`): each reservation is one transaction, so a
 * crash between reserving and storing the proofs can never hand the same counter (the same secret) out twice.
 * @module
 */
import type { CounterRange, CounterSource } from '@cashu/cashu-ts';
import { type Db } from '../wallet/index.js';

export class SqliteCounterSource implements CounterSource {
  constructor(private readonly db: Db) {}

  private next(keysetId: string): number {
    const r = this.db.prepare('SELECT next FROM cashu_counters WHERE keyset_id = ?').get(keysetId) as { next: number } | undefined;
    return r?.next ?? 0;
  }

  private put(keysetId: string, next: number): void {
    this.db.prepare('INSERT INTO cashu_counters (keyset_id, next) VALUES (?, ?) ON CONFLICT (keyset_id) DO UPDATE SET next = excluded.next')
      .run(keysetId, next);
  }

  async reserve(keysetId: string, n: number): Promise<CounterRange> {
    return this.db.transaction(() => {
      const start = this.next(keysetId);
      if (n > 0) this.put(keysetId, start + n);
      return { start, count: n };
    })();
  }

  async reserveAt(keysetId: string, start: number, count: number): Promise<CounterRange> {
    return this.db.transaction(() => {
      if (start < this.next(keysetId)) throw new Error('counter range already issued');
      this.put(keysetId, start + count);
      return { start, count };
    })();
  }

  async advanceToAtLeast(keysetId: string, minNext: number): Promise<void> {
    this.advanceNow(keysetId, minNext);
  }

  /** advanceToAtLeast, synchronously: inside the caller's transaction (a restore stores its proofs in the same one). */
  advanceNow(keysetId: string, minNext: number): void {
    this.db.transaction(() => { if (this.next(keysetId) < minNext) this.put(keysetId, minNext); })();
  }

  async snapshot(): Promise<Record<string, number>> {
    const rows = this.db.prepare('SELECT keyset_id, next FROM cashu_counters').all() as { keyset_id: string; next: number }[];
    return Object.fromEntries(rows.map((r) => [r.keyset_id, r.next]));
  }

  async setNext(keysetId: string, next: number): Promise<void> {
    this.put(keysetId, next);
  }
}
