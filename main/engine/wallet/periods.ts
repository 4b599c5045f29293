/**
 * When periods began and ended by the meter's clock (migration 0040): the first token's telegram sets the start,
 * the bill's telegram the end; the first value heard is kept (the carousel repeats them later).
 * @module
 */
import { type Db, sql } from './db.js';

export function notePeriodStart(db: Db, period: number, at: string): void {
  sql(db, 'INSERT INTO period_times (period, start_at) VALUES (?, ?) ON CONFLICT (period) DO UPDATE SET start_at = COALESCE(start_at, excluded.start_at)').run(period, at);
}

export function notePeriodEnd(db: Db, period: number, at: string): void {
  sql(db, 'INSERT INTO period_times (period, end_at) VALUES (?, ?) ON CONFLICT (period) DO UPDATE SET end_at = COALESCE(end_at, excluded.end_at)').run(period, at);
}

export function periodTimes(db: Db, period: number): { start: string | null; end: string | null } {
  const r = sql(db, 'SELECT start_at, end_at FROM period_times WHERE period = ?').get(period) as { start_at: string | null; end_at: string | null } | undefined;
  return { start: r?.start_at ?? null, end: r?.end_at ?? null };
}

/** The newest period the meter has begun (its first token heard); null before any. */
export function newestPeriod(db: Db): number | null {
  return (sql(db, 'SELECT MAX(period) AS p FROM period_times WHERE start_at IS NOT NULL').get() as { p: number | null }).p;
}
