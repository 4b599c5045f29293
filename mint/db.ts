/**
 * The mint's SQLite file: open it in WAL mode and bring its schema up to date.
 *
 * Migrations are one function per version (steps of 10) recorded in `PRAGMA user_version`; a database written
 * by a newer mint is refused rather than guessed at.
 * @module
 */
import Database from 'better-sqlite3';
import { prepareLedgerFile } from './files.js';
import { migrate0010 } from './migrations/0010-initial.js';

const MIGRATIONS: ReadonlyArray<readonly [number, (db: Database.Database) => void]> = [[10, migrate0010]];
export const SCHEMA_VERSION = 10;

/** Opens (or creates) the mint database at `path` (`:memory:` allowed) and migrates it. */
export function openMintDb(path: string): Database.Database {
  if (path !== ':memory:') prepareLedgerFile(path); // 0600 before SQLite writes the seed; -wal and -shm inherit it
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrateMintDb(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Runs the pending migrations in one transaction. */
export function migrateMintDb(db: Database.Database, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`mint database schema ${current} is newer than this mint (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    for (const [version, step] of MIGRATIONS) {
      if (version > current && version <= target) step(db);
    }
    db.pragma(`user_version = ${target}`);
  }).immediate();
}
