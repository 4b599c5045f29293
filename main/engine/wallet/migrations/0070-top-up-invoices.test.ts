import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0070 (top-up invoices)', () => {
  it('keeps the top-ups of a wallet at 60, with no invoice, and takes one for new top-ups', () => {
    const db = new Database(':memory:');
    migrate(db, 60);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO top_ups (quote, units, state, created_at, updated_at) VALUES ('q1', 5, 'minted', ?, ?)").run(at, at);
    migrate(db, 70);
    expect(schemaVersion(db)).toBe(70);
    expect(db.prepare('SELECT quote, request, expiry FROM top_ups').all()).toEqual([{ quote: 'q1', request: null, expiry: null }]);
    db.prepare("INSERT INTO top_ups (quote, units, state, created_at, updated_at, request, expiry) VALUES ('q2', 8, 'quoted', ?, ?, 'lnbcrt80n1x', 1800000000)").run(at, at);
    expect(db.prepare("SELECT request, expiry FROM top_ups WHERE quote = 'q2'").get()).toEqual({ request: 'lnbcrt80n1x', expiry: 1800000000 });
    db.close();
  });
});
