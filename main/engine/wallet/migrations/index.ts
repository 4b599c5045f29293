/**
 * Versioned migrations (style.md §Tests, Signal's `SCHEMA_VERSIONS`): one file per version in steps of 10,
 * `PRAGMA user_version` holds the current one, pending steps run each in one transaction, and a database
 * newer than this code is refused rather than guessed at.
 * @module
 */
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../errors.js';
import * as m0010 from './0010-initial.js';
import * as m0020 from './0020-cashu-counters.js';
import * as m0030 from './0030-payment-answers.js';
import * as m0040 from './0040-period-times.js';
import * as m0050 from './0050-recovered-receipts.js';
import * as m0060 from './0060-bill-keys.js';

export interface Migration {
  version: number;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [m0010, m0020, m0030, m0040, m0050, m0060];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

for (let i = 1; i < MIGRATIONS.length; i++)
  if (MIGRATIONS[i]!.version <= MIGRATIONS[i - 1]!.version) throw new Error('migration versions are not monotonic');

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings `db` to `target` (default: the latest); refuses a database from the future with 'db-from-future'. */
export function migrate(db: Database, target: number = LATEST_VERSION): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION)
    throw new EngineError('db-from-future', `wallet database is version ${current}, this app knows up to ${LATEST_VERSION}`);
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
