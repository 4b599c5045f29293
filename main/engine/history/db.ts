/**
 * The history file, `history.sqlite` in the data folder: apart from the wallet, so losing it never touches money.
 * WAL with `synchronous = FULL`: each batch's commit is on disk when it returns (one fsync every 2 s at one telegram
 * a second), so a crash or a power cut loses at most the batch being gathered. Opened through the vault's one SQLite
 * seam: created 0600, and encrypted as a whole under the wallet's key (readings reveal the household's life).
 * @module
 */
import { existsSync, renameSync } from 'node:fs';
import { encryptInPlace, isClearSqlite, openSqlite, type Db } from '../vault/index.js';
import { migrate } from './migrations/index.js';

export type { Db };

/**
 * Opens (creating if needed) and migrates the history under `key` (null: in clear, for unit tests); a history kept
 * in clear by an earlier version is encrypted in place first. ':memory:' for unit tests.
 */
export function openHistoryDb(file: string, key: Uint8Array | null = null): Db {
  if (key !== null && file !== ':memory:' && isClearSqlite(file)) encryptInPlace(file, key);
  const db = openSqlite(file, key);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

const isCorrupt = (e: unknown): boolean => /^SQLITE_(NOTADB|CORRUPT)/.test(String((e as { code?: unknown }).code));

/**
 * As openHistoryDb; a file SQLite refuses as damaged is set aside (`history.sqlite.corrupt-<time>`, never deleted)
 * and a new history starts: readings are not money, and the engine must run on.
 */
export function openHistoryOrSetAside(file: string, key: Uint8Array | null = null): Db {
  try {
    return openHistoryDb(file, key);
  } catch (e) {
    if (!isCorrupt(e)) throw e;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, aside);
    for (const s of ['-wal', '-shm']) if (existsSync(file + s)) renameSync(file + s, aside + s);
    return openHistoryDb(file, key);
  }
}
