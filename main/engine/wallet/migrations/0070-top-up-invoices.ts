/**
 * 0070: a top-up keeps its Lightning invoice (BOLT-11 text) and the quote's expiry, so that the window can show the
 * invoice again after a restart while the quote waits to be paid. Top-ups made before hold none (NULL).
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 70;

export function up(db: Database): void {
  db.exec('ALTER TABLE top_ups ADD COLUMN request TEXT; ALTER TABLE top_ups ADD COLUMN expiry INTEGER;');
}
