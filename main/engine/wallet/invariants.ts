/**
 * The wallet's invariants, checked by the tests after every step (and cheap enough for a startup check):
 * each coin is either spendable or spent against exactly one verified receipt, and no token is ever paid twice.
 * @module
 */
import { type Db, sql } from './db.js';

const CHECKS: readonly [string, string][] = [
  ['an unspent coin is bound to a token',
    "SELECT p.id FROM proofs p JOIN tokens t ON t.coin_id = p.id WHERE p.state = 'unspent'"],
  ['a reserved coin is not bound to exactly one token in paying or alarm',
    "SELECT p.id FROM proofs p LEFT JOIN tokens t ON t.coin_id = p.id WHERE p.state = 'reserved' AND (t.id IS NULL OR t.state NOT IN ('paying', 'alarm'))"],
  ['a spent coin is not bound to exactly one token with a verified receipt',
    "SELECT p.id FROM proofs p LEFT JOIN tokens t ON t.coin_id = p.id LEFT JOIN receipts r ON r.token_id = t.id WHERE p.state = 'spent' AND (t.id IS NULL OR r.token_id IS NULL OR t.state NOT IN ('receipted', 'settled'))"],
  ['a token past scheduled has no reserved or spent coin (and no receipt recovered without one)',
    `SELECT t.id FROM tokens t LEFT JOIN proofs p ON p.id = t.coin_id LEFT JOIN receipts r ON r.token_id = t.id
      WHERE t.state IN ('paying', 'alarm', 'receipted', 'settled') AND (p.id IS NULL OR p.amount <> 1 OR p.state NOT IN ('reserved', 'spent'))
        AND NOT (t.coin_id IS NULL AND t.state IN ('receipted', 'settled') AND COALESCE(r.recovered, 0) = 1)`],
  ['a receipt recovered without a coin belongs to a token that holds one',
    'SELECT t.id FROM tokens t JOIN receipts r ON r.token_id = t.id WHERE r.recovered = 1 AND t.coin_id IS NOT NULL'],
  ['a token before paying holds a coin',
    "SELECT id FROM tokens WHERE state IN ('received', 'scheduled') AND coin_id IS NOT NULL"],
  ['a paid token has no receipt, or an unpaid token has one',
    "SELECT t.id FROM tokens t LEFT JOIN receipts r ON r.token_id = t.id WHERE (t.state IN ('receipted', 'settled')) <> (r.token_id IS NOT NULL)"],
  ['a token was paid with more than one coin',
    'SELECT p.token_id FROM payments p JOIN tokens t ON t.id = p.token_id WHERE p.coin_id IS NOT t.coin_id'],
  ['a coin was sent for more than one token',
    'SELECT coin_id FROM payments GROUP BY coin_id HAVING COUNT(DISTINCT token_id) > 1'],
  ['a token has more than one successful payment',
    "SELECT token_id FROM payments WHERE outcome = 'receipt' GROUP BY token_id HAVING COUNT(*) > 1"],
  ['a settled token belongs to a period not settled',
    "SELECT t.id FROM tokens t LEFT JOIN settlements s ON s.period = t.period WHERE t.state = 'settled' AND (s.state IS NULL OR s.state <> 'settled')"],
  ['a settled period still has unsettled tokens within its bill',
    "SELECT t.id FROM tokens t JOIN settlements s ON s.period = t.period WHERE s.state = 'settled' AND t.state <> 'settled'"],
  ['a token is scheduled without a time', "SELECT id FROM tokens WHERE state = 'scheduled' AND due_at IS NULL"],
];

/** Every violated invariant, in words (no ids of tokens or coins beyond row numbers). Empty when the wallet is sound. */
export function invariantViolations(db: Db): string[] {
  const out: string[] = [];
  for (const [what, q] of CHECKS) {
    const rows = sql(db, q).all() as Record<string, number>[];
    if (rows.length > 0) out.push(`${what} (rows ${rows.map((r) => Object.values(r)[0]).join(', ')})`);
  }
  return out;
}

/** Throws when any invariant is violated. */
export function checkInvariants(db: Db): void {
  const v = invariantViolations(db);
  if (v.length > 0) throw new Error(`wallet invariants violated:\n${v.join('\n')}`);
}
