/**
 * The one seam through which the engine opens an SQLite file (the wallet now, the energy history later): created
 * 0600 before SQLite touches it (SQLite gives the -wal and -shm their database's mode), and encrypted as a whole
 * with SQLCipher's page format (better-sqlite3-multiple-ciphers: SQLite3 Multiple Ciphers, cipher 'sqlcipher',
 * version 4) under a raw 32-byte key, so the file holds no readable page, header included.
 * @module
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { FILE_MODE } from './permissions.js';

export type Db = Database.Database;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** SQLCipher 4's page format, with the key taken as raw bytes (no passphrase derivation inside SQLite). */
function applyKey(db: Db, key: Uint8Array): void {
  if (key.length !== 32) throw new RangeError('"key" must be 32 bytes');
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${Buffer.from(key).toString('hex')}'"`);
}

/** Opens `file` under `key` (null: in clear); a file that does not decrypt fails here with SQLITE_NOTADB. */
export function openSqlite(file: string, key: Uint8Array | null): Db {
  if (file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'a', FILE_MODE));
  const db = new Database(file);
  try {
    if (key) applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get(); // reads page 1: a wrong key or a damaged file fails now
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Whether `file` is an SQLite database in clear (a wallet from before encryption). */
export function isClearSqlite(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypts a clear database in place with SQLite3 Multiple Ciphers' `PRAGMA rekey`, which rewrites every page in one
 * transaction (a crash leaves the clear file or the encrypted one, never half of each). It runs in rollback-journal
 * mode (rekey refuses WAL; leaving WAL folds the clear -wal in and removes it); VACUUM first, so no free page keeps
 * old clear content. The wallet goes back to WAL when opened.
 */
export function encryptInPlace(file: string, key: Uint8Array): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('VACUUM');
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`rekey = "x'${Buffer.from(key).toString('hex')}'"`);
  } finally {
    db.close();
  }
}
