/**
 * The wallet database: one SQLite file in the data folder, encrypted as a whole with the wallet's key (vault/), WAL,
 * foreign keys on, migrated on open.
 * @module
 */
import type { Statement } from 'better-sqlite3';
import { type Db, openSqlite } from '../vault/index.js';
import { migrate } from './migrations/index.js';

export type { Db };

/**
 * Opens (creating if needed) and migrates the wallet under `key` (null: in clear, for ':memory:' in unit tests and
 * for reading a wallet made before encryption).
 */
export function openWalletDb(file: string, key: Uint8Array | null = null): Db {
  const db = openSqlite(file, key);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL'); // money: a committed transition survives a power cut
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

const statements = new WeakMap<Db, Map<string, Statement>>();
/** A prepared statement, compiled once per database. */
export function sql(db: Db, text: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let s = cache.get(text);
  if (!s) cache.set(text, (s = db.prepare(text)));
  return s;
}

export const nowIso = (): string => new Date().toISOString();

export function getMeta(db: Db, key: string): string | null {
  const row = sql(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  sql(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteMeta(db: Db, key: string): void {
  sql(db, 'DELETE FROM meta WHERE key = ?').run(key);
}
