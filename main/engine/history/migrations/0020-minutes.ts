/**
 * 0020: the per-minute power summary (docs/engine.md §Energy history), so a day of power reads 1,440 rows instead of
 * decoding 86,400 telegrams. For each power value (import, export, each phase of both): least, most, sum and count of
 * the telegrams that had it; and the registers and tariff at the minute's last telegram. Keyed by the minute's start.
 * Minutes start with this version: the telegrams already stored are not summarised.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 20;

const POWERS = ['import', 'export', 'import_l1', 'import_l2', 'import_l3', 'export_l1', 'export_l2', 'export_l3'];

export function up(db: Database): void {
  const power = POWERS.map((p) => `${p}_min INTEGER, ${p}_max INTEGER, ${p}_sum INTEGER NOT NULL DEFAULT 0, ${p}_n INTEGER NOT NULL DEFAULT 0`);
  db.exec(`CREATE TABLE minutes (start INTEGER PRIMARY KEY, ${power.join(', ')}, import_wh INTEGER, export_wh INTEGER, tariff INTEGER)`);
}
