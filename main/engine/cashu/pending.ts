/**
 * The wallet's own requests to the mint that create e-cash (mint a paid quote, split the stock, swap back a coin the
 * UC did not take) are written down before they are sent: the NUT-13 counters as they stood, the wallet's proofs the
 * request spends, the quote it redeems. A crash (or a lost answer) between the mint's signing and the wallet's
 * storing then loses nothing: the outputs are restored from the counters reserved since (NUT-09, deterministic
 * secrets), the inputs the mint spent are dropped, and the note goes in the transaction that stores the result.
 * Each note has its own key, so two processes on one wallet never overwrite each other's.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type Db, getMeta, setMeta } from '../wallet/index.js';

export interface PendingOp {
  op: 'mint' | 'split' | 'reclaim';
  /** Each keyset's next counter before the request (its outputs use counters from here on). */
  counters: Record<string, number>;
  /** Row ids of the wallet's proofs the request spends (still `unspent` in the wallet until it is stored). */
  inputs: number[];
  /** The mint quote redeemed (op 'mint'). */
  quote?: string;
}

const PREFIX = 'cashu-pending:';

/** Writes the note (committed before the request leaves); returns its key. */
export function beginOp(db: Db, op: PendingOp): string {
  const key = `${PREFIX}${randomBytes(8).toString('hex')}`;
  setMeta(db, key, JSON.stringify(op));
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
