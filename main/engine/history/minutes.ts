/**
 * The per-minute power summary (migrations/0020-minutes.ts): what a day of power is drawn from. The writer folds each
 * telegram it stores into its minute's row, in the same transaction; rows of a minute split over two batches merge
 * in SQL (least of the leasts, sums added). Kept as long as the telegrams themselves.
 * @module
 */
import type { PowerMinuteView, PowerRange } from '../../api/index.js';
import { EngineError } from '../errors.js';
import type { Db } from './db.js';
import { type Sample, energy } from './sample.js';

/** The power values summarised: Sample.values[11..18] (import, export, import L1–L3, export L1–L3), in column order. */
const POWERS = ['import', 'export', 'import_l1', 'import_l2', 'import_l3', 'export_l1', 'export_l2', 'export_l3'];
const FIRST_POWER = 11;
const TARIFF = 10;
/** The longest span one profile answers: the days the telegrams are kept. */
export const MAX_PROFILE_SPAN_S = 10 * 86_400;

/** A minute's columns after its start: per power min, max, sum, n; then the last registers and tariff. */
const COLUMNS = [...POWERS.flatMap((p) => [`${p}_min`, `${p}_max`, `${p}_sum`, `${p}_n`]), 'import_wh', 'export_wh', 'tariff'];
const LAST = POWERS.length * 4;

export class MinuteSummaries {
  /** Per minute of the batch: per power [min, max, sum, n], then the last registers and tariff. */
  private readonly minutes = new Map<number, (number | null)[]>();
  private readonly upsert;

  constructor(db: Db) {
    const merge = POWERS.flatMap((p) => [
      `${p}_min = COALESCE(MIN(${p}_min, excluded.${p}_min), ${p}_min, excluded.${p}_min)`,
      `${p}_max = COALESCE(MAX(${p}_max, excluded.${p}_max), ${p}_max, excluded.${p}_max)`,
      `${p}_sum = ${p}_sum + excluded.${p}_sum`, `${p}_n = ${p}_n + excluded.${p}_n`,
    ]);
    // A batch comes after every row written before it: its last registers are the minute's last.
    const last = ['import_wh', 'export_wh', 'tariff'].map((c) => `${c} = COALESCE(excluded.${c}, ${c})`);
    this.upsert = db.prepare(`INSERT INTO minutes (start, ${COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(COLUMNS.length)})
      ON CONFLICT (start) DO UPDATE SET ${[...merge, ...last].join(', ')}`);
  }

  /** Folds a stored sample into its minute (in this batch). */
  add(s: Sample): void {
    const start = Math.floor(s.t / 60) * 60;
    let m = this.minutes.get(start);
    if (!m) this.minutes.set(start, (m = POWERS.flatMap(() => [null, null, 0, 0]).concat([null, null, null])));
    for (let i = 0; i < POWERS.length; i++) {
      const w = s.values[FIRST_POWER + i];
      if (w === null || w === undefined) continue;
      const at = i * 4;
      m[at] = m[at] === null ? w : Math.min(m[at]!, w);
      m[at + 1] = m[at + 1] === null ? w : Math.max(m[at + 1]!, w);
      m[at + 2]! += w;
      m[at + 3]! += 1;
    }
    m[LAST] = energy(s.values, 0);
    m[LAST + 1] = energy(s.values, 5);
    m[LAST + 2] = s.values[TARIFF] ?? null;
  }

  /** Writes the batch's minutes (inside the batch's transaction) and starts the next batch empty. */
  write(): void {
    for (const [start, m] of this.minutes) this.upsert.run(start, ...m);
    this.minutes.clear();
  }

  /** Forgets the batch (its transaction was rolled back; the batch is tried again whole). */
  discard(): void {
    this.minutes.clear();
  }
}

const range = (r: readonly (number | null)[], at: number): PowerRange | null =>
  r[at + 3] === 0 ? null : { min: r[at]!, mean: Math.round(r[at + 2]! / r[at + 3]!), max: r[at + 1]! };

/** The minutes starting in [from, to) (seconds), oldest first; minutes without a telegram are left out. */
export function powerProfile(db: Db, from: number, to: number): PowerMinuteView[] {
  if (to <= from || to - from > MAX_PROFILE_SPAN_S) throw new EngineError('bad-request', 'a power profile is read between two ISO times at most 10 days apart');
  const rows = db.prepare(`SELECT start, ${COLUMNS.join(', ')} FROM minutes WHERE start >= ? AND start < ? ORDER BY start`).raw().all(from, to) as (number | null)[][];
  return rows.map((row) => {
    const r = row.slice(1);
    return {
      start: new Date(row[0]! * 1000).toISOString(),
      powerW: range(r, 0),
      exportPowerW: range(r, 4),
      phasePowerW: [range(r, 8), range(r, 12), range(r, 16)],
      phaseExportW: [range(r, 20), range(r, 24), range(r, 28)],
      importWh: r[LAST] ?? null,
      exportWh: r[LAST + 1] ?? null,
      tariff: r[LAST + 2] ?? null,
    };
  });
}
