import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LATEST_VERSION, addProofs, coinCounts, openWalletDb } from '../wallet/index.js';
import { openWalletOrSetAside } from './open-wallet.js';

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-open-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: join(dir, 'wallet.sqlite'), files: () => readdirSync(dir).sort() };
}

describe('opening the wallet file', () => {
  it('opens a sound wallet as it is', () => {
    const { file, files } = folder();
    const db = openWalletDb(file);
    addProofs(db, [{ id: '00aa', amount: 1, secret: 's', C: 'c' }]);
    db.close();
    const opened = openWalletOrSetAside(file);
    expect(opened.setAside).toBeNull();
    expect(coinCounts(opened.db).balance).toBe(1);
    opened.db.close();
    expect(files().filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('sets a file that is not a database aside under a name with a time, never deleting it, and starts a fresh wallet', () => {
    const { file, files } = folder();
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const opened = openWalletOrSetAside(file);
    expect(opened.setAside).toMatch(/^wallet\.sqlite\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(coinCounts(opened.db).balance).toBe(0);
    opened.db.close();
    expect(files()).toContain(opened.setAside);
  });

  it('sets aside a database whose pages are damaged (integrity_check fails)', () => {
    const { file, files } = folder();
    const db = new Database(file);
    db.exec('CREATE TABLE t (x TEXT); CREATE INDEX tx ON t (x);');
    const ins = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => { for (let i = 0; i < 2000; i++) ins.run(`row ${i} ${'x'.repeat(40)}`); })();
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0xff, 4096 * 3, 4096 * 5); // two pages of the table and index overwritten
    writeFileSync(file, bytes);
    const opened = openWalletOrSetAside(file);
    expect(opened.setAside).not.toBeNull();
    opened.db.close();
    expect(files()).toContain(opened.setAside);
  });

  it('a wallet from a newer version is not damaged: refused with db-from-future and left where it is', () => {
    const { file, files } = folder();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 10}`);
    db.close();
    expect(() => openWalletOrSetAside(file)).toThrow(expect.objectContaining({ code: 'db-from-future' }));
    expect(files()).toEqual(['wallet.sqlite']);
  });

  it('a WAL left without its database is set aside rather than replayed into the new wallet', () => {
    const { file, files } = folder();
    writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1));
    const opened = openWalletOrSetAside(file);
    expect(opened.setAside).not.toBeNull();
    opened.db.close();
    expect(files()).toContain(`${opened.setAside}-wal`);
  });
});
