import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0050 (recovered receipts)', () => {
  it('marks the receipts of a wallet at 40 as paid ones (not recovered), keeping them', () => {
    const db = new Database(':memory:');
    migrate(db, 40);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO tokens (set_id, period, idx, T, sig, state, received_at, updated_at) VALUES (1, 3, 0, x'01', x'02', 'receipted', ?, ?)").run(at, at);
    db.prepare("INSERT INTO receipts (token_id, receipt, verified_at) VALUES (1, x'03', ?)").run(at);
    migrate(db, 50);
    expect(schemaVersion(db)).toBe(50);
    expect(db.prepare('SELECT token_id, recovered FROM receipts').all()).toEqual([{ token_id: 1, recovered: 0 }]);
    expect(() => db.prepare('UPDATE receipts SET recovered = 2').run()).toThrow(/CHECK/);
    db.close();
  });
});
