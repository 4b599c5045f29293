import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LATEST_VERSION, addProofs, checkInvariants, coinCounts, openWalletDb, receiveToken, schemaVersion } from './index.js';

function tmpWallet(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-wallet-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'wallet.sqlite');
}

describe('wallet file', () => {
  it('is WAL, survives a reopen, and keeps what was committed', () => {
    const file = tmpWallet();
    const db = openWalletDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    addProofs(db, [{ id: '00aa', amount: 1, secret: 's', C: 'c', dleq: { e: 'e', s: 's' } }]);
    receiveToken(db, { set: 1, period: 3, index: 0, T: new Uint8Array(48).fill(5), sig: new Uint8Array(64) });
    db.close();
    const again = openWalletDb(file);
    expect(schemaVersion(again)).toBe(LATEST_VERSION);
    expect(coinCounts(again).stock).toBe(1);
    expect(receiveToken(again, { set: 1, period: 3, index: 0, T: new Uint8Array(48).fill(5), sig: new Uint8Array(64) }).fresh).toBe(false);
    checkInvariants(again);
    again.close();
  });

  it('refuses a wallet file written by a newer app, without touching it', () => {
    const file = tmpWallet();
    const future = new Database(file);
    future.pragma(`user_version = ${LATEST_VERSION + 10}`);
    future.close();
    expect(() => openWalletDb(file)).toThrow(expect.objectContaining({ code: 'db-from-future' }));
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 10);
    check.close();
  });
});
