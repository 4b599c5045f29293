/**
 * 0040: when each billing period began and ended by the meter's own clock (the P1 time stamp 0-0:1.0.0 of the
 * telegram that carried the period's first token, and of the one that carried its bill). Shown in Settlement;
 * null until such a telegram was seen, or when the meter sends no valid time stamp.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 40;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE period_times (
      period INTEGER PRIMARY KEY CHECK (period >= 0),
      start_at TEXT,
      end_at TEXT
    ) STRICT;
  `);
}
