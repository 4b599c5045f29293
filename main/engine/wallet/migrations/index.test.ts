import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from './index.js';

describe('migrations', () => {
  it('go in increasing steps of 10, and running them twice changes nothing', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => (i + 1) * 10));
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it("refuse a database from the future with 'db-from-future' and leave it untouched", () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${LATEST_VERSION + 10}`);
    const err = (() => { try { migrate(db); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('db-from-future');
    expect(schemaVersion(db)).toBe(LATEST_VERSION + 10);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('roll back a failing step entirely', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    db.exec('CREATE TABLE top_ups (x INTEGER)'); // makes step 20 fail half-way, after its first table
    expect(() => migrate(db)).toThrow(/already exists/);
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'cashu_counters'").get()).toEqual({ n: 0 });
    db.close();
  });
});
