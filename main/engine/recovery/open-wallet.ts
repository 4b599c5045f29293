/**
 * Opening the wallet file, telling a damaged one from one this code cannot read. A file SQLite refuses ("file is
 * not a database", "database disk image is malformed") or whose integrity_check fails is set aside under
 * `wallet.sqlite.corrupt-<time>` (with its -wal and -shm, so the copy can still be opened), never deleted, and a
 * fresh wallet takes its place; the e-cash comes back from the seed phrase (recovery.ts). A wallet from a newer
 * version ('db-from-future') is not damaged and is left alone.
 * @module
 */
import { existsSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { type Db, openWalletDb } from '../wallet/index.js';

const SIDECARS = ['-wal', '-shm'] as const;

/** SQLite's own words for a file that is not a sound database. */
const isCorrupt = (e: unknown): boolean => {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT'));
};

function integrityOk(db: Db): boolean {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.length === 1 && rows[0]!.integrity_check === 'ok';
}

/** Moves the file and its sidecars aside; answers the new name of the file (a time, no private data). */
function setAside(file: string): string {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  if (existsSync(file)) renameSync(file, aside);
  for (const s of SIDECARS) if (existsSync(file + s)) renameSync(file + s, aside + s);
  return basename(aside);
}

export interface OpenedWallet {
  db: Db;
  /** The name the damaged file was set aside under, or null when the wallet opened sound (or was new). */
  setAside: string | null;
}

export function openWalletOrSetAside(file: string): OpenedWallet {
  // A WAL without its database (the file was deleted) must not be replayed into the fresh one.
  const orphan = !existsSync(file) && SIDECARS.some((s) => existsSync(file + s)) ? setAside(file) : null;
  let db: Db | null = null;
  try {
    db = openWalletDb(file);
    if (integrityOk(db)) return { db, setAside: orphan };
  } catch (e) {
    if (!isCorrupt(e)) throw e;
  }
  db?.close();
  const aside = setAside(file);
  return { db: openWalletDb(file), setAside: aside };
}
