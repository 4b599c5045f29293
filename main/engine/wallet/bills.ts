/**
 * Bills and settlements (protocol.md §BillGen, §Settlement). The bill's mask ρ_t and count K_t are the
 * household's secrets: they stay in this database and never reach a log or the UC.
 * A settlement is `sent` before the request goes out and `settled`/`refused` with the UC's answer; settling
 * moves every token of the period receipted → settled in the same transaction.
 * @module
 */
import { EngineError } from '../errors.js';
import { type Db, nowIso, sql } from './db.js';

export interface BillRecord {
  meter: string;
  period: number;
  fault: boolean;
  R: Uint8Array;
  sig: Uint8Array;
  /** ρ_t */
  mask: bigint;
  /** K_t */
  count: number;
  /** bpk_ID, the meter key the bill was checked with; null when none was configured (or before migration 0060). */
  billKey?: Uint8Array | null;
}

export type SettlementState = 'sent' | 'settled' | 'refused';

export interface StoredSettlement {
  period: number;
  combined: Uint8Array;
  state: SettlementState;
  answer: string | null;
  answeredAt: string | null;
}

const maskBytes = (m: bigint): Buffer => Buffer.from(m.toString(16).padStart(64, '0'), 'hex');

/** Stores a bill once; the carousel's repeats of the same bill are ignored. Returns whether it was new. */
export function receiveBill(db: Db, b: BillRecord): boolean {
  const r = sql(db, 'INSERT OR IGNORE INTO bills (period, meter, fault, R, sig, mask, count, received_at, bill_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(b.period, b.meter, b.fault ? 1 : 0, Buffer.from(b.R), Buffer.from(b.sig), maskBytes(b.mask), b.count, nowIso(), b.billKey ? Buffer.from(b.billKey) : null);
  return r.changes === 1;
}

export function billOf(db: Db, period: number): BillRecord | null {
  const r = sql(db, 'SELECT * FROM bills WHERE period = ?').get(period) as
    | { meter: string; period: number; fault: number; R: Buffer; sig: Buffer; mask: Buffer; count: number; bill_key: Buffer | null }
    | undefined;
  if (!r) return null;
  return { meter: r.meter, period: r.period, fault: r.fault === 1, R: new Uint8Array(r.R), sig: new Uint8Array(r.sig),
    mask: BigInt(`0x${r.mask.toString('hex')}`), count: r.count, billKey: r.bill_key ? new Uint8Array(r.bill_key) : null };
}

export function billPeriods(db: Db): number[] {
  return (sql(db, 'SELECT period FROM bills ORDER BY period').all() as { period: number }[]).map((r) => r.period);
}

export function settlementOf(db: Db, period: number): StoredSettlement | null {
  const r = sql(db, 'SELECT * FROM settlements WHERE period = ?').get(period) as
    | { period: number; combined: Buffer; state: SettlementState; answer: string | null; answered_at: string | null }
    | undefined;
  return r ? { period: r.period, combined: new Uint8Array(r.combined), state: r.state, answer: r.answer, answeredAt: r.answered_at } : null;
}

/**
 * Records the combined receipt C before it is sent (a resend after a crash sends the same C). Refused unless the
 * bill is here and exactly its K tokens are stored, each with a verified receipt.
 */
export function settlementSent(db: Db, period: number, combined: Uint8Array): void {
  db.transaction(() => {
    const s = settlementOf(db, period);
    if (s?.state === 'settled') throw new EngineError('state-conflict', 'period already settled');
    const bill = billOf(db, period);
    if (!bill) throw new EngineError('state-conflict', 'no bill for this period yet');
    const t = sql(db, "SELECT COUNT(*) AS n, COUNT(CASE WHEN state = 'receipted' THEN 1 END) AS paid FROM tokens WHERE period = ?").get(period) as { n: number; paid: number };
    if (t.n !== bill.count || t.paid !== bill.count) throw new EngineError('state-conflict', 'not every token of the period has a verified receipt');
    sql(db, `INSERT INTO settlements (period, combined, state, sent_at) VALUES (?, ?, 'sent', ?)
      ON CONFLICT (period) DO UPDATE SET combined = excluded.combined, state = 'sent', answer = NULL, answered_at = NULL, sent_at = excluded.sent_at`)
      .run(period, Buffer.from(combined), nowIso());
  })();
}

/** Stores the UC's answer; `settled` moves the period's tokens receipted → settled. */
export function settlementAnswered(db: Db, period: number, state: 'settled' | 'refused', answer: string): void {
  db.transaction(() => {
    const r = sql(db, "UPDATE settlements SET state = ?, answer = ?, answered_at = ? WHERE period = ? AND state = 'sent'").run(state, answer, nowIso(), period);
    if (r.changes !== 1) throw new EngineError('state-conflict', 'no settlement of this period is awaiting an answer');
    if (state === 'settled')
      sql(db, "UPDATE tokens SET state = 'settled', updated_at = ? WHERE period = ? AND state = 'receipted'").run(nowIso(), period);
  })();
}
