/**
 * The one query interface both ledger databases implement, so that the ledger's queries are written once
 * (issue 4: "the same schema through the same queries"). Queries use `?` placeholders; the PostgreSQL executor
 * numbers them. Bytes go in as Uint8Array and come out as Buffer; integers may come back as strings (BIGINT in pg).
 * @module
 */

export type Dialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | bigint | Uint8Array | null;
export type Row = Record<string, unknown>;

/** Runs statements. Outside `transaction`, each statement is atomic on its own. */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Runs a statement and answers how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a query and answers its rows. */
  all<R extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<R[]>;
}

/** A database connection that can also run a function inside one transaction, committed when it resolves. */
export interface SqlDatabase extends SqlExecutor {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Reads an integer column that PostgreSQL returns as a string for BIGINT and COUNT. */
export function int(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : (value as number);
  if (!Number.isSafeInteger(n)) throw new TypeError(`not an integer column value: ${typeof value}`);
  return n;
}

/** Reads a BLOB/BYTEA column as a plain Uint8Array. */
export function bytes(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError('not a bytes column value');
  return new Uint8Array(value);
}
