/**
 * PostgreSQL behind SqlDatabase (node-postgres pool). Several UC processes share one database; every invariant is
 * held by the database (unique keys, conditional updates, transactions), never by process memory.
 * @module
 */
import pg from 'pg';
import { LedgerUnavailableError } from './ledger-error.js';
import type { Row, SqlDatabase, SqlExecutor, SqlValue } from './sql.js';

/** `?` → `$1, $2, …` (the ledger's queries contain no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** SQLSTATEs that say the server went away or is not the primary (classes 08 and 57P, a standby's 25006). */
const UNAVAILABLE_STATES = /^(08|57P0[1-3]$|25006$)/;
/** Socket errors, and node-postgres's own words for a connection that died under it (they carry no code). */
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const UNAVAILABLE_TEXT = /Connection terminated|not queryable|timeout exceeded when trying to connect|Connection ended/i;

/** Whether `err` says the database is away (a restart, a failover) rather than that the statement is wrong. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_SOCKET.has(code))) return true;
  return code === undefined && UNAVAILABLE_TEXT.test(err.message);
}

const typed = (err: unknown): unknown => (isUnavailable(err) ? new LedgerUnavailableError({ cause: err }) : err);

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  const query = async (sql: string, params: readonly SqlValue[]) => {
    try {
      return await client.query(numbered(sql), params as SqlValue[]);
    } catch (err) {
      throw typed(err);
    }
  };
  return {
    dialect: 'postgres',
    run: async (sql, params = []) => (await query(sql, params)).rowCount ?? 0,
    all: async <R extends Row>(sql: string, params: readonly SqlValue[] = []) => (await query(sql, params)).rows as R[],
  };
}

export function openPostgres(connectionString: string, poolSize = 20): SqlDatabase {
  // A bounded wait for a connection: during a failover no server answers, and a request must fail, not hang.
  const pool = new pg.Pool({ connectionString, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    ...executor(pool),
    transaction: async (fn) => {
      const client = await pool.connect().catch((err: unknown) => { throw typed(err); });
      const tx = executor(client);
      let broken: Error | undefined;
      try {
        await tx.run('BEGIN');
        const result = await fn(tx);
        await tx.run('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        // A connection that died is destroyed, not handed to the next request.
        if (err instanceof LedgerUnavailableError) broken = err;
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
