import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0040 (period times)', () => {
  it('adds an empty period_times table to a wallet at 30, keeping its tokens', () => {
    const db = new Database(':memory:');
    migrate(db, 30);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO tokens (set_id, period, idx, T, sig, state, received_at, updated_at) VALUES (1, 3, 0, x'01', x'02', 'received', ?, ?)").run(at, at);
    migrate(db, 40);
    expect(schemaVersion(db)).toBe(40);
    expect(db.prepare('SELECT COUNT(*) AS n FROM tokens').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT * FROM period_times').all()).toEqual([]);
    expect(() => db.prepare('INSERT INTO period_times (period) VALUES (-1)').run()).toThrow(/CHECK/);
    db.close();
  });
});
