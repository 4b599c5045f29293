/**
 * SQLite behind SqlDatabase (better-sqlite3, one synchronous connection, WAL). A transaction may await between its
 * statements, so every statement, inside a transaction or not, runs under one async lock: nothing from another
 * request slips into an open transaction. BEGIN IMMEDIATE takes the write lock at once, so that several UC processes
 * on one SQLite file serialise on the file (busy_timeout) instead of failing on a lock upgrade.
 * The file holds the UC's e-cash: it is created 0600 (SQLite gives its -wal and -shm files the same mode), and one
 * that others can read is refused at start, as the receipt key file is.
 * @module
 */
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { assertOwnerOnly } from './owner-only-file.js';
import type { Row, SqlDatabase, SqlExecutor, SqlValue } from './sql.js';

function ownerOnly(path: string): void {
  if (path === ':memory:' || path === '') return;
  if (!existsSync(path)) closeSync(openSync(path, 'wx', 0o600));
  assertOwnerOnly(path, 'ledger file');
}

export function openSqlite(path: string): SqlDatabase {
  ownerOnly(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across process crashes, fsync at checkpoints
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const direct: SqlExecutor = {
    dialect: 'sqlite',
    run: async (sql, params = []) => prepare(sql).run(...(params as SqlValue[])).changes,
    all: async <R extends Row>(sql: string, params: readonly SqlValue[] = []) =>
      prepare(sql).all(...(params as SqlValue[])) as R[],
  };

  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn);
    tail = result.catch(() => undefined);
    return result;
  };

  return {
    dialect: 'sqlite',
    run: (sql, params) => exclusive(() => direct.run(sql, params)),
    all: <R extends Row>(sql: string, params?: readonly SqlValue[]) => exclusive(() => direct.all<R>(sql, params)),
    transaction: (fn) =>
      exclusive(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(direct);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
    close: () => exclusive(async () => void db.close()),
  };
}
