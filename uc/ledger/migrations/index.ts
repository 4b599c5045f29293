/**
 * Versioned migrations: the schema version lives in `uc_schema`; pending steps run in one transaction; a database
 * newer than this code is refused. On PostgreSQL an advisory lock makes UC processes starting together migrate once.
 * @module
 */
import { LedgerError } from '../ledger-error.js';
import type { SqlDatabase } from '../sql.js';
import { int } from '../sql.js';
import { migration0010 } from './0010-initial.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [migration0010];
export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;

for (let i = 1; i < MIGRATIONS.length; i++)
  if (MIGRATIONS[i]!.version <= MIGRATIONS[i - 1]!.version) throw new Error('migration versions are not monotonic');

/** Brings the schema to `target` (default: the latest) and answers the version it is at. */
export async function migrate(db: SqlDatabase, target = LATEST_VERSION): Promise<number> {
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.all(`SELECT pg_advisory_xact_lock(7357001)`);
    await tx.run(`CREATE TABLE IF NOT EXISTS uc_schema (version INTEGER NOT NULL)`);
    const rows = await tx.all(`SELECT version FROM uc_schema`);
    let current = rows.length ? int(rows[0]!.version) : 0;
    if (!rows.length) await tx.run(`INSERT INTO uc_schema (version) VALUES (0)`);
    if (current > LATEST_VERSION)
      throw new LedgerError('db-from-future', `ledger schema version ${current} is newer than this UC (${LATEST_VERSION})`);
    for (const m of MIGRATIONS) {
      if (m.version <= current || m.version > target) continue;
      for (const statement of m.statements(tx.dialect)) await tx.run(statement);
      current = m.version;
    }
    await tx.run(`UPDATE uc_schema SET version = ?`, [current]);
    return current;
  });
}
