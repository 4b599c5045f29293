/**
 * 0020: NUT-13 deterministic-secret counters per keyset, and mint quotes of top-ups. The counter lives in the same
 * database as the proofs so that a crash between reserving counters and storing proofs never reuses a counter
 * (cashu-ts docs: "Custom CounterSource implementations").
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 20;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE cashu_counters (
      keyset_id TEXT PRIMARY KEY,
      next INTEGER NOT NULL CHECK (next >= 0)
    ) STRICT;

    CREATE TABLE top_ups (
      quote TEXT PRIMARY KEY,
      units INTEGER NOT NULL CHECK (units > 0),
      state TEXT NOT NULL CHECK (state IN ('quoted', 'paid', 'minted', 'failed')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
  `);
}
