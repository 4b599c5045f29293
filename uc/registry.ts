/**
 * The anonymity sets and open periods every request needs, read from the ledger at most once per `ttlMs` (the
 * ledger is the truth; several UC processes share it, so an admin change made at one process reaches the others
 * within `ttlMs`, and at once the process that made it).
 * @module
 */
import type { Ledger } from './ledger/index.js';

export interface RegistrySnapshot {
  sets: ReadonlyMap<number, Uint8Array>;
  /** Registered meters per set (a set with none is absent). */
  sizes: ReadonlyMap<number, number>;
  openPeriods: ReadonlySet<number>;
}

export class Registry {
  private cached: { at: number; snapshot: Promise<RegistrySnapshot> } | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly ttlMs = 1_000,
  ) {}

  snapshot(): Promise<RegistrySnapshot> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at >= this.ttlMs) {
      const snapshot = this.load();
      this.cached = { at: now, snapshot };
      snapshot.catch(() => (this.cached = undefined));
    }
    return this.cached.snapshot;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async load(): Promise<RegistrySnapshot> {
    const [sets, sizes, periods] = await Promise.all([this.ledger.sets(), this.ledger.setSizes(), this.ledger.periods()]);
    return {
      sets: new Map(sets.map((s) => [s.set, s.tokenPublicKey])),
      sizes,
      openPeriods: new Set(periods.filter((p) => p.state === 'open').map((p) => p.period)),
    };
  }
}
