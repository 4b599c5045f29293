/**
 * PostgreSQL behind SqlDatabase (node-postgres pool). Several UC processes share one database; every invariant is
 * held by the database (unique keys, conditional updates, transactions), never by process memory.
 * @module
 */
import pg from 'pg';
import type { Row, SqlDatabase, SqlExecutor, SqlValue } from './sql.js';

/** `?` → `$1, $2, …` (the ledger's queries contain no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    dialect: 'postgres',
    run: async (sql, params = []) => (await client.query(numbered(sql), params as SqlValue[])).rowCount ?? 0,
    all: async <R extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(numbered(sql), params as SqlValue[])).rows as R[],
  };
}

export function openPostgres(connectionString: string, poolSize = 20): SqlDatabase {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its server (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    ...executor(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
