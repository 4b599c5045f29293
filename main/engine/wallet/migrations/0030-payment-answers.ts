/**
 * 0030: what the UC answered to a successful payment. `already-paid` means the UC had the token paid before and
 * did not take this coin (a wallet rebuilt, or an answer lost after an earlier attempt took it); such coins are
 * checked at the mint (NUT-07) and, when still unspent there, swapped back into the stock. `coin_checked` records
 * that this was done.
 * @module
 */
import type { Database } from 'better-sqlite3';

export const version = 30;

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE payments ADD COLUMN answer TEXT CHECK (answer IN ('paid', 'already-paid'));
    ALTER TABLE payments ADD COLUMN coin_checked INTEGER NOT NULL DEFAULT 0 CHECK (coin_checked IN (0, 1));
  `);
}
