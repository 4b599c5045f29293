/**
 * Versioned migrations (style.md §Tests, Signal's `SCHEMA_VERSIONS`), for each of the engine's SQLite files: one
 * file per version in steps of 10, `PRAGMA user_version` holds the current one, pending steps run each in one
 * transaction, and a database newer than this code is refused rather than guessed at.
 * @module
 */
import type { Database } from 'better-sqlite3';
import { EngineError } from './errors.js';

export interface Migration {
  version: number;
  up(db: Database): void;
}

/** The latest version of a list; throws when the versions do not increase (a mistake in this code, not in data). */
export function latestVersion(migrations: readonly Migration[]): number {
  for (let i = 1; i < migrations.length; i++)
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error('migration versions are not monotonic');
  return migrations[migrations.length - 1]!.version;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings `db` (named `what` in errors) to `target`; refuses a database from the future with 'db-from-future'. */
export function runMigrations(db: Database, migrations: readonly Migration[], what: string, target: number): void {
  const current = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (current > latest) throw new EngineError('db-from-future', `${what} database is version ${current}, this app knows up to ${latest}`);
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
