import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LATEST_VERSION, addProofs, coinCounts, openWalletDb } from '../wallet/index.js';
import { openWalletOrSetAside } from './open-wallet.js';

const KEY = Buffer.alloc(32, 0x11);
const OTHER_KEY = Buffer.alloc(32, 0x22);
const header = (file: string) => readFileSync(file).subarray(0, 16).toString('latin1');

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-open-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: join(dir, 'wallet.sqlite'), files: () => readdirSync(dir).sort() };
}

describe('opening the wallet file', () => {
  it('encrypts a clear wallet made by the code before encryption in place, then opens it as it is', () => {
    const { file, files } = folder();
    const db = openWalletDb(file); // in clear, as every wallet was before issue 14
    db.pragma('journal_mode = WAL');
    addProofs(db, [{ id: '00aa', amount: 1, secret: 'proof-secret-in-clear', C: 'c' }]);
    db.close();
    expect(header(file)).toBe('SQLite format 3\0');
    const opened = openWalletOrSetAside(file, KEY);
    expect(opened).toMatchObject({ setAside: null, encrypted: true });
    expect(coinCounts(opened.db).balance).toBe(1);
    opened.db.close();
    expect(header(file)).not.toBe('SQLite format 3\0');
    expect(readFileSync(file).includes('proof-secret-in-clear')).toBe(false);
    const again = openWalletOrSetAside(file, KEY);
    expect(again).toMatchObject({ setAside: null, encrypted: false });
    expect(coinCounts(again.db).balance).toBe(1);
    again.db.close();
    expect(files().filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('a wrong key is wallet-locked, never "damaged": the file is left as it was', () => {
    const { file, files } = folder();
    openWalletOrSetAside(file, KEY).db.close();
    const before = readFileSync(file);
    expect(() => openWalletOrSetAside(file, OTHER_KEY)).toThrow(expect.objectContaining({ code: 'wallet-locked' }));
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(files().filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('without a check value kept, a file the key cannot read is wallet-locked, not set aside', () => {
    const { file, files } = folder();
    openWalletOrSetAside(file, KEY).db.close();
    rmSync(join(file, '..', 'wallet-key.json'));
    expect(() => openWalletOrSetAside(file, OTHER_KEY)).toThrow(expect.objectContaining({ code: 'wallet-locked' }));
    expect(files().filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('sets a file that is not a database aside under a name with a time, never deleting it, and starts a fresh wallet', () => {
    const { file, files } = folder();
    openWalletOrSetAside(file, KEY).db.close(); // the key is known to be this wallet's
    writeFileSync(file, Buffer.alloc(8192, 0x5a));
    const opened = openWalletOrSetAside(file, KEY);
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
    const opened = openWalletOrSetAside(file, KEY);
    expect(opened.setAside).not.toBeNull();
    opened.db.close();
    expect(files()).toContain(opened.setAside);
  });

  it('a wallet from a newer version is not damaged: refused with db-from-future and left where it is', () => {
    const { file, files } = folder();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 10}`);
    db.close();
    expect(() => openWalletOrSetAside(file, KEY)).toThrow(expect.objectContaining({ code: 'db-from-future' }));
    expect(files()).toEqual(['wallet.sqlite']);
    expect(header(file)).toBe('SQLite format 3\0'); // not encrypted by a version that cannot read it
  });

  it('a WAL left without its database is set aside rather than replayed into the new wallet', () => {
    const { file, files } = folder();
    writeFileSync(`${file}-wal`, Buffer.alloc(4096, 1));
    const opened = openWalletOrSetAside(file, KEY);
    expect(opened.setAside).not.toBeNull();
    opened.db.close();
    expect(files()).toContain(`${opened.setAside}-wal`);
  });
});
