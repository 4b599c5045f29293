/**
 * The mint's files are its own (issue 14 §3): the ledger holds the master seed every keyset derives from, and the
 * admin token pays invoices in manual mode. Their folder is created 0700, the files 0600 before anything is written
 * to them, and at every start a file others can read is refused, as the UC refuses its receipt key.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/** Throws when `path` exists and its group or others may read or write it. */
function assertPrivate(path: string, what: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return;
  const mode = st.mode & 0o777;
  if (mode & 0o077) throw new Error(`${what} ${path} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
}

function createPrivate(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: FOLDER_MODE });
  if (!existsSync(path)) closeSync(openSync(path, 'a', FILE_MODE));
}

/** The ledger file (and SQLite's -wal and -shm beside it): created 0600 if missing, refused if others can read it. */
export function prepareLedgerFile(path: string): void {
  createPrivate(path);
  for (const file of [path, `${path}-wal`, `${path}-shm`]) assertPrivate(file, 'mint ledger');
}

/** Manual mode's admin token: 32 random bytes in hex, written 0600 on first start, then read back (refused if others can read it). */
export function readAdminTokenFile(path: string): string {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: FOLDER_MODE });
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: FILE_MODE, flag: 'wx' });
  }
  assertPrivate(path, 'mint admin token file');
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < 16) throw new Error(`mint admin token file ${path} holds fewer than 16 characters`);
  return token;
}
