/**
 * The UC's ledger: anonymity sets, meters, periods, paid tokens, settlements and the UC's own e-cash, written once
 * against SqlDatabase and run on SQLite or PostgreSQL.
 *
 * Paying a token is a small state machine held by the database (issue 4: idempotency and concurrency):
 *   (no row) --claim--> pending(claim id, lease) --complete--> paid(receipt)
 *                            \--release (coin refused)--> (no row)
 * The claim is one atomic statement on the unique key (period, set, T), so of two concurrent pays of one token,
 * in one process or in several, exactly one redeems its coin; a pending row whose lease ran out (a UC that died
 * mid-payment) can be claimed again.
 * @module
 */
import { LedgerError } from './ledger-error.js';
import type { SqlDatabase, SqlExecutor } from './sql.js';
import { bytes, int } from './sql.js';

export interface AnonymitySet { set: number; tokenPublicKey: Uint8Array }
export interface Meter { meter: string; billPublicKey: Uint8Array; set: number }
export type PeriodState = 'open' | 'closed';
export interface Period { period: number; state: PeriodState; paidTokens: number }
/** A token's key in the paid-token table: the set, the period and the canonical bytes of T. */
export interface TokenKey { set: number; period: number; T: Uint8Array }
export type Claim =
  | { kind: 'claimed'; claim: string }
  | { kind: 'paid'; receipt: Uint8Array }
  | { kind: 'pending' };
/** One of the UC's own proofs (Cashu), stored as the mint returned it. */
export interface WalletProof { id: string; amount: number; secret: string; C: string }
export interface SettlementRow { meter: string; settled: boolean; fault: boolean; failures: { reason: string; count: number }[] }

const KEY = `period = ? AND set_id = ? AND t = ?`;
const key = (k: TokenKey) => [k.period, k.set, k.T] as const;

export class Ledger {
  constructor(private readonly db: SqlDatabase) {}

  get dialect() {
    return this.db.dialect;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // ---- anonymity sets and meters (admin) ----

  /** Registers set S with its token public key; registering the same again is a no-op, a different key a conflict. */
  async addSet(s: AnonymitySet): Promise<void> {
    const inserted = await this.db.run(
      `INSERT INTO anonymity_sets (set_id, token_public_key) VALUES (?, ?) ON CONFLICT DO NOTHING`,
      [s.set, s.tokenPublicKey],
    );
    if (inserted) return;
    const existing = (await this.sets()).find((x) => x.set === s.set);
    if (!existing || !sameBytes(existing.tokenPublicKey, s.tokenPublicKey))
      throw new LedgerError('conflict', `set ${s.set} is registered with another token public key`);
  }

  async sets(): Promise<AnonymitySet[]> {
    const rows = await this.db.all(`SELECT set_id, token_public_key FROM anonymity_sets ORDER BY set_id`);
    return rows.map((r) => ({ set: int(r.set_id), tokenPublicKey: bytes(r.token_public_key) }));
  }

  /** Each set's size: how many meters are registered in it (published in /v1/params: a small set hides few households). */
  async setSizes(): Promise<Map<number, number>> {
    const rows = await this.db.all(`SELECT set_id, COUNT(*) AS n FROM meters GROUP BY set_id`);
    return new Map(rows.map((r) => [int(r.set_id), int(r.n)]));
  }

  async addMeter(m: Meter): Promise<void> {
    if (!(await this.sets()).some((s) => s.set === m.set)) throw new LedgerError('unknown-set', `set ${m.set} is not registered`);
    const inserted = await this.db.run(
      `INSERT INTO meters (meter_id, bill_public_key, set_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
      [m.meter, m.billPublicKey, m.set],
    );
    if (inserted) return;
    const existing = await this.meter(m.meter);
    if (!existing || existing.set !== m.set || !sameBytes(existing.billPublicKey, m.billPublicKey))
      throw new LedgerError('conflict', `meter ${m.meter} is registered with another key or set`);
  }

  async meter(id: string): Promise<Meter | undefined> {
    const rows = await this.db.all(`SELECT meter_id, bill_public_key, set_id FROM meters WHERE meter_id = ?`, [id]);
    return rows.map(toMeter)[0];
  }

  async meters(): Promise<Meter[]> {
    return (await this.db.all(`SELECT meter_id, bill_public_key, set_id FROM meters ORDER BY meter_id`)).map(toMeter);
  }

  // ---- periods (admin) ----

  /** Opens period t for payment and settlement (re-opening a closed period is allowed). */
  async openPeriod(period: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      // The period number is a validated uint32, so it is safe in the DDL below.
      if (tx.dialect === 'postgres')
        await tx.run(`CREATE TABLE IF NOT EXISTS paid_tokens_p${period} PARTITION OF paid_tokens FOR VALUES IN (${period})`);
      await tx.run(
        `INSERT INTO periods (period, state) VALUES (?, 'open') ON CONFLICT (period) DO UPDATE SET state = 'open'`,
        [period],
      );
    });
  }

  async closePeriod(period: number): Promise<void> {
    await this.db.run(
      `INSERT INTO periods (period, state) VALUES (?, 'closed') ON CONFLICT (period) DO UPDATE SET state = 'closed'`,
      [period],
    );
  }

  async periods(): Promise<Period[]> {
    const rows = await this.db.all(
      `SELECT p.period, p.state, (SELECT COUNT(*) FROM paid_tokens t WHERE t.period = p.period AND t.state = 'paid') AS paid
         FROM periods p ORDER BY p.period`,
    );
    return rows.map((r) => ({ period: int(r.period), state: r.state as PeriodState, paidTokens: int(r.paid) }));
  }

  async periodState(period: number): Promise<PeriodState | undefined> {
    const rows = await this.db.all(`SELECT state FROM periods WHERE period = ?`, [period]);
    return rows[0]?.state as PeriodState | undefined;
  }

  /** Drops the paid-token records of a closed period (after its dispute window); answers how many were dropped. */
  async dropPaidTokens(period: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const state = (await tx.all(`SELECT state FROM periods WHERE period = ?`, [period]))[0]?.state;
      if (state !== 'closed') throw new LedgerError('period-not-closed', `period ${period} is not closed`);
      const n = int((await tx.all(`SELECT COUNT(*) AS n FROM paid_tokens WHERE period = ?`, [period]))[0]!.n);
      if (tx.dialect === 'postgres') await tx.run(`DROP TABLE IF EXISTS paid_tokens_p${period}`);
      else await tx.run(`DELETE FROM paid_tokens WHERE period = ?`, [period]);
      return n;
    });
  }

  // ---- payments ----

  /** Claims token k for payment, or answers its receipt if it is paid, or `pending` if another claim holds it. */
  async claimToken(k: TokenKey, claim: string, now: number, leaseMs: number): Promise<Claim> {
    for (;;) {
      const lease = now + leaseMs;
      if (await this.db.run(
        `INSERT INTO paid_tokens (period, set_id, t, state, claim, lease_until) VALUES (?, ?, ?, 'pending', ?, ?)
           ON CONFLICT DO NOTHING`, [...key(k), claim, lease]))
        return { kind: 'claimed', claim };
      if (await this.db.run(
        `UPDATE paid_tokens SET claim = ?, lease_until = ? WHERE ${KEY} AND state = 'pending' AND lease_until < ?`,
        [claim, lease, ...key(k), now]))
        return { kind: 'claimed', claim };
      const row = (await this.db.all(`SELECT state, receipt FROM paid_tokens WHERE ${KEY}`, [...key(k)]))[0];
      if (row?.state === 'paid') return { kind: 'paid', receipt: bytes(row.receipt) };
      if (row) return { kind: 'pending' };
      // The holder released its claim between our statements: try again.
    }
  }

  /** Answers the receipt of a paid token, if it is paid. */
  async receipt(k: TokenKey): Promise<Uint8Array | undefined> {
    const row = (await this.db.all(`SELECT receipt FROM paid_tokens WHERE ${KEY} AND state = 'paid'`, [...key(k)]))[0];
    return row ? bytes(row.receipt) : undefined;
  }

  /**
   * Marks a batch of claimed tokens paid with their receipts and stores the proofs their coins were exchanged for,
   * in one transaction: the UC's e-cash and the paid tokens never disagree.
   */
  async completePayments(items: (TokenKey & { receipt: Uint8Array })[], proofs: WalletProof[]): Promise<void> {
    // One statement per table, whatever the batch size (round trips are what a PostgreSQL ledger pays for). Rows in
    // key order, so that two batches on two UC processes cannot deadlock. The upsert's update applies to a pending
    // claim only; a token already paid (a lease taken over) keeps its row.
    const sorted = [...items].sort(compareKeys);
    await this.db.transaction(async (tx: SqlExecutor) => {
      if (proofs.length)
        await tx.run(
          // DO NOTHING: a retry after a commit whose answer was lost (a failover) writes the same proofs again.
          `INSERT INTO wallet_proofs (secret, keyset_id, amount, c) VALUES ${rows(proofs.length, '(?, ?, ?, ?)')} ON CONFLICT (secret) DO NOTHING`,
          proofs.flatMap((p) => [p.secret, p.id, p.amount, p.C]),
        );
      if (sorted.length)
        await tx.run(
          `INSERT INTO paid_tokens (period, set_id, t, state, receipt) VALUES ${rows(sorted.length, "(?, ?, ?, 'paid', ?)")}
             ON CONFLICT (period, set_id, t) DO UPDATE SET state = 'paid', receipt = excluded.receipt, claim = NULL, lease_until = NULL
             WHERE paid_tokens.state = 'pending'`,
          sorted.flatMap((it) => [...key(it), it.receipt]),
        );
    });
  }

  /** Gives up claims whose coins were refused, so that the token can be paid with another coin. */
  async releaseClaims(items: (TokenKey & { claim: string })[]): Promise<void> {
    for (const it of items)
      await this.db.run(`DELETE FROM paid_tokens WHERE ${KEY} AND state = 'pending' AND claim = ?`, [...key(it), it.claim]);
  }

  async walletBalance(): Promise<{ amount: number; proofs: number }> {
    const r = (await this.db.all(`SELECT COALESCE(SUM(amount), 0) AS amount, COUNT(*) AS n FROM wallet_proofs`))[0]!;
    return { amount: int(r.amount), proofs: int(r.n) };
  }

  // ---- settlement ----

  /** Records (meter, t) settled; answers false if it already was. */
  async recordSettlement(meter: string, period: number, fault: boolean): Promise<boolean> {
    return (await this.db.run(
      `INSERT INTO settlements (meter_id, period, fault) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
      [meter, period, fault ? 1 : 0],
    )) === 1;
  }

  async isSettled(meter: string, period: number): Promise<boolean> {
    return (await this.db.all(`SELECT 1 FROM settlements WHERE meter_id = ? AND period = ?`, [meter, period])).length > 0;
  }

  async recordFailedSettlement(meter: string, period: number, reason: string): Promise<void> {
    await this.db.run(
      `INSERT INTO settlement_failures (period, meter_id, reason, attempts) VALUES (?, ?, ?, 1)
         ON CONFLICT (period, meter_id, reason) DO UPDATE SET attempts = settlement_failures.attempts + 1`,
      [period, meter, reason],
    );
  }

  /** Every registered meter with its settlement state for period t. */
  async settlements(period: number): Promise<SettlementRow[]> {
    const rows = await this.db.all(
      `SELECT m.meter_id, s.fault FROM meters m LEFT JOIN settlements s ON s.meter_id = m.meter_id AND s.period = ?
         ORDER BY m.meter_id`, [period]);
    const failures = await this.db.all(
      `SELECT meter_id, reason, attempts FROM settlement_failures WHERE period = ? ORDER BY meter_id, reason`, [period]);
    return rows.map((r) => ({
      meter: r.meter_id as string,
      settled: r.fault !== null,
      fault: r.fault !== null && int(r.fault) === 1,
      failures: failures.filter((f) => f.meter_id === r.meter_id).map((f) => ({ reason: f.reason as string, count: int(f.attempts) })),
    }));
  }
}

function toMeter(r: Record<string, unknown>): Meter {
  return { meter: r.meter_id as string, billPublicKey: bytes(r.bill_public_key), set: int(r.set_id) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The VALUES list of a multi-row insert: `row` n times. */
const rows = (n: number, row: string): string => Array(n).fill(row).join(', ');

function compareKeys(a: TokenKey, b: TokenKey): number {
  return a.period - b.period || a.set - b.set || Buffer.compare(a.T, b.T);
}
