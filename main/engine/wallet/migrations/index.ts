/**
 * The wallet's migrations, run by the engine's one migration runner (../../migrate.ts).
 * @module
 */
import type { Database } from 'better-sqlite3';
import { type Migration, latestVersion, runMigrations, schemaVersion } from '../../migrate.js';
import * as m0010 from './0010-initial.js';
import * as m0020 from './0020-cashu-counters.js';
import * as m0030 from './0030-payment-answers.js';
import * as m0040 from './0040-period-times.js';
import * as m0050 from './0050-recovered-receipts.js';
import * as m0060 from './0060-bill-keys.js';
import * as m0070 from './0070-top-up-invoices.js';

export type { Migration };
export { schemaVersion };

export const MIGRATIONS: readonly Migration[] = [m0010, m0020, m0030, m0040, m0050, m0060, m0070];
export const LATEST_VERSION = latestVersion(MIGRATIONS);

/** Brings `db` to `target` (default: the latest); refuses a database from the future with 'db-from-future'. */
export function migrate(db: Database, target: number = LATEST_VERSION): void {
  runMigrations(db, MIGRATIONS, 'wallet', target);
}
