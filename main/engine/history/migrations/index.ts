/**
 * The history's migrations, run by the engine's one migration runner (../../migrate.ts).
 * @module
 */
import type { Database } from 'better-sqlite3';
import { type Migration, latestVersion, runMigrations } from '../../migrate.js';
import * as m0010 from './0010-initial.js';
import * as m0020 from './0020-minutes.js';
import * as m0030 from './0030-quarter-hours.js';

export const MIGRATIONS: readonly Migration[] = [m0010, m0020, m0030];
export const LATEST_VERSION = latestVersion(MIGRATIONS);

/** Brings `db` to `target` (default: the latest); refuses a history from the future with 'db-from-future'. */
export function migrate(db: Database, target: number = LATEST_VERSION): void {
  runMigrations(db, MIGRATIONS, 'history', target);
}
