/**
 * Whether the wallet takes writes now: a probe that grows the file (the typed errors are errors.ts's
 * `storageError`). Nothing is lost while it does not: every transition is one transaction, so a refused write
 * leaves the wallet as it was.
 * @module
 */
import { storageError } from '../errors.js';
import { type Db, sql } from './db.js';

/** Page-sized several times over: the probe needs new pages, as a token or a receipt would. */
const PROBE = '0'.repeat(3 * 4096);

/**
 * Throws the storage error when the wallet cannot take a write that grows it now: a value larger than a page is
 * committed and removed again (two commits, so a real disk must take the log too). Does not wait for a lock.
 */
export function probeWrite(db: Db): void {
  const wait = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    sql(db, "INSERT INTO meta (key, value) VALUES ('storage-probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(PROBE);
    sql(db, "DELETE FROM meta WHERE key = 'storage-probe'").run();
  } catch (e) {
    throw storageError(e) ?? e;
  } finally {
    db.pragma(`busy_timeout = ${wait}`);
  }
}
