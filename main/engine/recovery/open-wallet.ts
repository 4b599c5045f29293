/**
 * Opening the wallet file, telling a damaged one from one this code cannot read. A file SQLite refuses ("file is
 * not a database", "database disk image is malformed") or whose integrity_check fails is set aside under
 * `wallet.sqlite.corrupt-<time>` (with its -wal and -shm, so the copy can still be opened), never deleted, and a
 * fresh wallet takes its place; the e-cash comes back from the seed phrase (recovery.ts). A wallet from a newer
 * version ('db-from-future') is not damaged and is left alone.
 *
 * The wallet is encrypted (vault/): a file that the key does not open is damaged only when the key is known to be the
 * wallet's (its check value in `wallet-key.json`); a key that is not, or a file that no known key opens, is
 * 'wallet-locked' and left untouched. A wallet in clear (made before encryption) is encrypted in place first.
 * @module
 */
import { existsSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { EngineError } from '../errors.js';
import { type WalletKey, encryptInPlace, isClearSqlite, keyMatches, rememberKey } from '../vault/index.js';
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
  /** True when the wallet was in clear and has just been encrypted. */
  encrypted: boolean;
}

export const WRONG_KEY = 'this passphrase (or key) does not open the wallet in this data folder: start again with the right one; nothing was changed';

export function openWalletOrSetAside(file: string, key: WalletKey): OpenedWallet {
  const dir = dirname(file);
  const known = keyMatches(dir, key);
  if (known === false) throw new EngineError('wallet-locked', WRONG_KEY);
  // A WAL without its database (the file was deleted) must not be replayed into the fresh one.
  const orphan = !existsSync(file) && SIDECARS.some((s) => existsSync(file + s)) ? setAside(file) : null;
  const clear = isClearSqlite(file);
  let db: Db | null = null;
  try {
    // Migrated in clear first: a wallet from a newer version is refused ('db-from-future') before anything changes it.
    if (clear) { openWalletDb(file).close(); encryptInPlace(file, key); }
    db = openWalletDb(file, key);
    if (integrityOk(db)) {
      rememberKey(dir, key);
      return { db, setAside: orphan, encrypted: clear };
    }
  } catch (e) {
    if (!isCorrupt(e)) throw e;
    // Without a check value, a file this key cannot read may be sound under another key: never set it aside.
    if (known === null && !clear) throw new EngineError('wallet-locked', WRONG_KEY, { cause: e });
  }
  db?.close();
  const aside = setAside(file);
  const fresh = openWalletDb(file, key);
  rememberKey(dir, key);
  return { db: fresh, setAside: aside, encrypted: false };
}
