/**
 * 0010: the energy history (docs/engine.md §Energy history). Samples are rows keyed by their second (the rowid, so
 * the time costs no column); aggregates hold exact register differences in Wh and litres, keyed by their start.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 10;

/** The columns of an aggregate row after its start: register differences (Wh), gas and water (litres), breaks. */
const AGGREGATE = `import1 INTEGER NOT NULL DEFAULT 0, import2 INTEGER NOT NULL DEFAULT 0, import3 INTEGER NOT NULL DEFAULT 0,
  import4 INTEGER NOT NULL DEFAULT 0, import_total INTEGER NOT NULL DEFAULT 0,
  export1 INTEGER NOT NULL DEFAULT 0, export2 INTEGER NOT NULL DEFAULT 0, export3 INTEGER NOT NULL DEFAULT 0,
  export4 INTEGER NOT NULL DEFAULT 0, export_total INTEGER NOT NULL DEFAULT 0,
  gas INTEGER NOT NULL DEFAULT 0, water INTEGER NOT NULL DEFAULT 0, breaks INTEGER NOT NULL DEFAULT 0`;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE samples (t INTEGER PRIMARY KEY, data BLOB NOT NULL);
    CREATE TABLE agg_5min (start INTEGER PRIMARY KEY, ${AGGREGATE});
    CREATE TABLE agg_hour (start INTEGER PRIMARY KEY, ${AGGREGATE});
    CREATE TABLE mbus (kind TEXT NOT NULL CHECK (kind IN ('gas', 'water')), t INTEGER NOT NULL, litres INTEGER NOT NULL,
      PRIMARY KEY (kind, t)) WITHOUT ROWID;
    CREATE TABLE power_failures (end_t INTEGER PRIMARY KEY, duration_s INTEGER NOT NULL);
    CREATE TABLE failure_counts (t INTEGER PRIMARY KEY, short INTEGER, long INTEGER);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `);
}
