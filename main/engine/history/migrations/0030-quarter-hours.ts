/**
 * 0030: quarter-hour aggregates, kept for ever, as exact as the others (register differences). Every time zone is a
 * whole number of quarter-hours from UTC, before and after its DST changes, so local days, weeks, months and years
 * sum exactly from them in zones like Asia/Kolkata (+05:30) or Australia/Adelaide; and they are the quarter-hours of
 * Belgium's capacity tariff. Filled from the 5-minute aggregates already kept (the last 2 years); meta
 * 'quarter-hours-from' says from which whole hour on they hold everything, when hours older than that are kept.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 30;

const COLUMNS = ['import1', 'import2', 'import3', 'import4', 'import_total', 'export1', 'export2', 'export3', 'export4', 'export_total', 'gas', 'water', 'breaks'];

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE agg_15min (start INTEGER PRIMARY KEY, ${COLUMNS.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(', ')});
    INSERT INTO agg_15min (start, ${COLUMNS.join(', ')})
      SELECT start / 900 * 900, ${COLUMNS.map((c) => `SUM(${c})`).join(', ')} FROM agg_5min GROUP BY start / 900;
    INSERT INTO meta (key, value)
      SELECT 'quarter-hours-from', COALESCE((SELECT (MIN(start) + 3599) / 3600 * 3600 FROM agg_5min), (SELECT MAX(start) + 3600 FROM agg_hour))
      WHERE EXISTS (SELECT 1 FROM agg_hour WHERE start < COALESCE((SELECT MIN(start) FROM agg_5min), 1e18));
  `);
}
