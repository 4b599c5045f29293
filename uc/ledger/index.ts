/**
 * The ledger: SQLite by default, PostgreSQL when a connection string is given (issue 4), migrated on open.
 * @module
 */
import { Ledger } from './ledger.js';
import { migrate } from './migrations/index.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';

export { Ledger } from './ledger.js';
export type { AnonymitySet, Claim, Meter, Period, PeriodState, SettlementRow, TokenKey, WalletProof } from './ledger.js';
export { LedgerError, LedgerUnavailableError } from './ledger-error.js';

export type LedgerLocation = { sqlite: string } | { postgres: string };

export async function openLedger(where: LedgerLocation): Promise<Ledger> {
  const db = 'postgres' in where ? openPostgres(where.postgres) : openSqlite(where.sqlite);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return new Ledger(db);
}
