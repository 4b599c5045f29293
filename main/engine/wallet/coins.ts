/**
 * E-cash proofs (Cashu NUT-00) and their state machine: unspent → reserved → spent.
 * A proof is reserved only together with the token it pays (tokens.ts), so the two move in one transaction.
 * @module
 */
import type { CoinState } from '../../api/index.js';
import { type Db, nowIso, sql } from './db.js';

/** The fields of a Cashu proof the wallet keeps (cashu-ts `Proof`). */
export interface ProofRecord {
  id: string;
  amount: number;
  secret: string;
  C: string;
  dleq?: { e: string; s: string; r?: string } | undefined;
}

export interface StoredProof extends ProofRecord {
  rowId: number;
  state: CoinState;
}

interface ProofRow {
  id: number;
  keyset_id: string;
  amount: number;
  secret: string;
  C: string;
  dleq: string | null;
  state: CoinState;
}

export const toStoredProof = (r: ProofRow): StoredProof => ({
  rowId: r.id,
  id: r.keyset_id,
  amount: r.amount,
  secret: r.secret,
  C: r.C,
  dleq: r.dleq === null ? undefined : JSON.parse(r.dleq),
  state: r.state,
});

/** Stores freshly minted or split proofs as unspent, all or none. */
export function addProofs(db: Db, proofs: readonly ProofRecord[]): void {
  const at = nowIso();
  const ins = sql(db, 'INSERT INTO proofs (keyset_id, amount, secret, C, dleq, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, \'unspent\', ?, ?)');
  db.transaction(() => {
    for (const p of proofs) ins.run(p.id, p.amount, p.secret, p.C, p.dleq ? JSON.stringify(p.dleq) : null, at, at);
  })();
}

/** Takes unspent proofs out of the wallet for a split (they come back as new proofs from the mint). */
export function removeUnspentProofs(db: Db, rowIds: readonly number[]): void {
  const del = sql(db, "DELETE FROM proofs WHERE id = ? AND state = 'unspent'");
  db.transaction(() => {
    for (const id of rowIds) if (del.run(id).changes !== 1) throw new Error(`proof ${id} is not unspent`);
  })();
}

export function unspentProofs(db: Db, amount?: number): StoredProof[] {
  const rows = (amount === undefined
    ? sql(db, "SELECT * FROM proofs WHERE state = 'unspent' ORDER BY id").all()
    : sql(db, "SELECT * FROM proofs WHERE state = 'unspent' AND amount = ? ORDER BY id").all(amount)) as ProofRow[];
  return rows.map(toStoredProof);
}

export function proofById(db: Db, rowId: number): StoredProof {
  const row = sql(db, 'SELECT * FROM proofs WHERE id = ?').get(rowId) as ProofRow | undefined;
  if (!row) throw new Error(`no proof ${rowId}`);
  return toStoredProof(row);
}

export interface CoinCounts {
  balance: number;
  stock: number;
  reserved: number;
  spent: number;
}

export function coinCounts(db: Db): CoinCounts {
  const r = sql(db, `SELECT
      COALESCE(SUM(CASE WHEN state = 'unspent' THEN amount END), 0) AS balance,
      COUNT(CASE WHEN state = 'unspent' AND amount = 1 THEN 1 END) AS stock,
      COUNT(CASE WHEN state = 'reserved' THEN 1 END) AS reserved,
      COUNT(CASE WHEN state = 'spent' THEN 1 END) AS spent
    FROM proofs`).get() as CoinCounts;
  return r;
}
