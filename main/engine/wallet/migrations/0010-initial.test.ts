import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0010 (initial schema)', () => {
  it('creates every table from an empty database and records version 10', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    expect(schemaVersion(db)).toBe(10);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['bills', 'meta', 'payments', 'proofs', 'receipts', 'settlements', 'tokens', 'utility']);
    db.close();
  });

  it('constrains states and keeps one row per token T', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    const at = '2026-01-01T00:00:00.000Z';
    const ins = db.prepare('INSERT INTO tokens (set_id, period, idx, T, sig, state, received_at, updated_at) VALUES (1, 1, ?, ?, ?, ?, ?, ?)');
    ins.run(0, Buffer.alloc(48, 1), Buffer.alloc(64), 'received', at, at);
    expect(() => ins.run(1, Buffer.alloc(48, 1), Buffer.alloc(64), 'received', at, at)).toThrow(/UNIQUE/);
    expect(() => ins.run(2, Buffer.alloc(48, 2), Buffer.alloc(64), 'lost', at, at)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO proofs (keyset_id, amount, secret, C, state, created_at, updated_at) VALUES ('k', 1, 's', 'c', 'gone', ?, ?)").run(at, at)).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO utility (id, url, A1, A2, params, pinned_at) VALUES (2, ?, ?, ?, ?, ?)').run('u', Buffer.alloc(1), Buffer.alloc(1), '{}', at)).toThrow(/CHECK/);
    db.close();
  });
});
