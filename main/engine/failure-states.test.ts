// The storage failures as SQLite raises them (real files, real errors), typed at the API boundary; the write probe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { storageError, toApiError } from './errors.js';
import { StorageGuard } from './storage.js';
import { type Db, addProofs, openWalletDb } from './wallet/index.js';

function wallet() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-storage-'));
  const file = join(dir, 'wallet.sqlite');
  const db = openWalletDb(file);
  onTestFinished(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
  return { db, file };
}

/** Fills the file up to its page limit: after this, a write that needs a new page fails with SQLITE_FULL. */
function fill(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  for (let size = 4000; size >= 16; size >>= 1)
    for (;;) {
      try { db.prepare('INSERT INTO filler VALUES (zeroblob(?))').run(size); } catch { break; }
    }
}

describe('storage failures', () => {
  it("SQLITE_FULL is 'disk-full' and SQLITE_BUSY 'database-locked', in plain words, also at the API boundary", () => {
    const { db, file } = wallet();
    fill(db);
    let full: unknown;
    try { addProofs(db, Array.from({ length: 50 }, (_, i) => ({ id: '00aa', amount: 1, secret: `s${i}`.repeat(40), C: 'c' }))); } catch (e) { full = e; }
    expect(full).toMatchObject({ code: 'SQLITE_FULL' });
    expect(storageError(full)).toMatchObject({ code: 'disk-full', message: expect.stringMatching(/^the disk is full: free some space; nothing was lost/) });
    expect(toApiError(full)).toMatchObject({ code: 'disk-full' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM proofs').get()).toEqual({ n: 0 }); // all or none

    const other = openWalletDb(file); // the same SQLite build: POSIX locks of two builds in one process do not see each other
    onTestFinished(() => void other.close());
    other.exec('BEGIN IMMEDIATE');
    other.pragma('busy_timeout = 0');
    db.pragma('max_page_count = 1073741823');
    db.pragma('busy_timeout = 0');
    let busy: unknown;
    try { db.exec("INSERT INTO meta (key, value) VALUES ('k', 'v')"); } catch (e) { busy = e; }
    expect(busy).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    expect(toApiError(busy)).toMatchObject({ code: 'database-locked', message: expect.stringMatching(/locked by another program/) });
    expect(storageError(new Error('something else'))).toBeNull();
    other.exec('ROLLBACK');
  });

  it('the guard stays in its state until a write that grows the file goes through', () => {
    const { db } = wallet();
    const guard = new StorageGuard(db);
    expect(guard.writable()).toBe(true);
    fill(db);
    expect(guard.probe()).toBe(false);
    expect(guard.status.state).toBe('disk-full');
    expect(() => guard.requireWritable()).toThrow(expect.objectContaining({ code: 'disk-full' }));
    db.pragma('max_page_count = 1073741823');
    expect(guard.writable()).toBe(true);
    expect(guard.status).toEqual({ state: 'ok', reason: null });
  });
});
