import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0020 (Cashu counters, top-ups)', () => {
  it('migrates a version-10 wallet with data in it, keeping the data', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO proofs (keyset_id, amount, secret, C, state, created_at, updated_at) VALUES ('00ab', 1, 'sec', 'c', 'unspent', ?, ?)").run(at, at);
    db.prepare("INSERT INTO meta (key, value) VALUES ('seed-phrase', 'x')").run();
    migrate(db, 20);
    expect(schemaVersion(db)).toBe(20);
    expect(db.prepare('SELECT COUNT(*) AS n FROM proofs').get()).toEqual({ n: 1 });
    db.prepare("INSERT INTO cashu_counters (keyset_id, next) VALUES ('00ab', 5)").run();
    expect(() => db.prepare("INSERT INTO cashu_counters (keyset_id, next) VALUES ('00cd', -1)").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO top_ups (quote, units, state, created_at, updated_at) VALUES ('q1', 10, 'quoted', ?, ?)").run(at, at);
    expect(() => db.prepare("INSERT INTO top_ups (quote, units, state, created_at, updated_at) VALUES ('q2', 0, 'quoted', ?, ?)").run(at, at)).toThrow(/CHECK/);
    db.close();
  });
});
