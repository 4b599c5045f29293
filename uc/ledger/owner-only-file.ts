/**
 * The UC's secret files (ledger, receipt key, admin token) are readable by their owner only: one that others can
 * read is refused at start, with the fix in the message.
 * @module
 */
import { statSync } from 'node:fs';

/** @throws Error naming `what` and the chmod that fixes it */
export function assertOwnerOnly(path: string, what: string): void {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new Error(`${what} ${path} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
}
