/**
 * The wallet's own requests to the mint that create or spend e-cash (mint a paid quote, split the stock, swap back a
 * coin the UC did not take, swap in a pasted token, melt to pay an invoice) are written down before they are sent: the NUT-13 counters as they stood, the wallet's proofs the
 * request spends, the quote it redeems. A crash (or a lost answer) between the mint's signing and the wallet's
 * storing then loses nothing: the outputs are restored from the counters reserved since (NUT-09, deterministic
 * secrets), the inputs the mint spent are dropped, and the note goes in the transaction that stores the result.
 * Each note has its own key, so two processes on one wallet never overwrite each other's.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type Db, type ProofRecord, getMeta, setMeta } from '../wallet/index.js';

export interface PendingOp {
  op: 'mint' | 'split' | 'reclaim' | 'receive' | 'melt';
  /** Each keyset's next counter before the request (its outputs use counters from here on). */
  counters: Record<string, number>;
  /** Row ids of the wallet's proofs the request spends (still `unspent` in the wallet until it is stored). */
  inputs: number[];
  /** The mint quote redeemed (op 'mint') or paid (op 'melt'). */
  quote?: string;
  /**
   * Proofs the request spends that are not in the wallet's table: a pasted token's (op 'receive'), or the wallet's
   * own taken out for a melt. After a crash the ones the mint still counts unspent are swapped in again.
   */
  held?: ProofRecord[];
}

const PREFIX = 'cashu-pending:';

/**
 * Writes the note (committed before the request leaves); returns its key. `alsoNow` runs in the same transaction
 * (a melt takes its inputs out of the wallet there; a redone swap ends the note it replaces).
 */
export function beginOp(db: Db, op: PendingOp, alsoNow?: () => void): string {
  const key = `${PREFIX}${randomBytes(8).toString('hex')}`;
  db.transaction(() => { setMeta(db, key, JSON.stringify(op)); alsoNow?.(); })();
  return key;
}

/** Drops the note; call inside the transaction that stores the request's result. */
export function endOp(db: Db, key: string): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(key);
}

export function pendingOps(db: Db): { key: string; op: PendingOp }[] {
  const keys = db.prepare('SELECT key FROM meta WHERE key LIKE ? ORDER BY key').all(`${PREFIX}%`) as { key: string }[];
  return keys.map(({ key }) => ({ key, op: JSON.parse(getMeta(db, key)!) as PendingOp }));
}
