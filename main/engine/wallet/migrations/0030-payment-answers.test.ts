import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0030 (payment answers)', () => {
  it('adds the answer and the coin check to existing payments, which read as unchecked with no answer', () => {
    const db = new Database(':memory:');
    migrate(db, 20);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO proofs (keyset_id, amount, secret, C, state, created_at, updated_at) VALUES ('k', 1, 's', 'c', 'reserved', ?, ?)").run(at, at);
    db.prepare("INSERT INTO tokens (set_id, period, idx, T, sig, state, coin_id, received_at, updated_at) VALUES (1, 1, 0, x'01', x'02', 'paying', 1, ?, ?)").run(at, at);
    db.prepare('INSERT INTO payments (token_id, coin_id, started_at) VALUES (1, 1, ?)').run(at);
    migrate(db, 30);
    expect(schemaVersion(db)).toBe(30);
    expect(db.prepare('SELECT answer, coin_checked FROM payments').get()).toEqual({ answer: null, coin_checked: 0 });
    expect(() => db.prepare("UPDATE payments SET answer = 'maybe'").run()).toThrow(/CHECK/);
    db.close();
  });
});
