/**
 * 0050: receipts fetched again from the UC without a coin, by a wallet rebuilt from its seed phrase
 * (docs/engine.md §Recovery). Such a token is receipted though this wallet never paid it: it holds no coin, and the
 * invariants allow that only for a receipt marked `recovered`.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 50;

export function up(db: Database): void {
  db.exec(`ALTER TABLE receipts ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0 CHECK (recovered IN (0, 1));`);
}
