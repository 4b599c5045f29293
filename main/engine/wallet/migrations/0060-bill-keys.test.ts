import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0060 (bill keys)', () => {
  it('keeps the bills of a wallet at 50, with no bill key, and takes one for new bills', () => {
    const db = new Database(':memory:');
    migrate(db, 50);
    const at = '2026-01-01T00:00:00.000Z';
    db.prepare("INSERT INTO bills (period, meter, fault, R, sig, mask, count, received_at) VALUES (3, 'M1', 0, x'01', x'02', x'03', 0, ?)").run(at);
    migrate(db, 60);
    expect(schemaVersion(db)).toBe(60);
    expect(db.prepare('SELECT period, meter, bill_key FROM bills').all()).toEqual([{ period: 3, meter: 'M1', bill_key: null }]);
    db.prepare("INSERT INTO bills (period, meter, fault, R, sig, mask, count, received_at, bill_key) VALUES (4, 'M1', 0, x'01', x'02', x'03', 0, ?, x'04')").run(at);
    expect(db.prepare('SELECT bill_key FROM bills WHERE period = 4').get()).toEqual({ bill_key: Buffer.from([4]) });
    db.close();
  });
});
