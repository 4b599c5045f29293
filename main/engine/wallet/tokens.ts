/**
 * Tokens and their state machine (protocol.md §Payment, architecture.md §A token's path):
 *
 *   received → scheduled → paying → receipted → settled
 *                            ↕ alarm (a bad receipt or a refusal: shown to the user, not silently retried)
 *
 * Every transition is one transaction and checks the state it leaves, so a crash or a race can never skip a step.
 * A token gets its coin once, on entering `paying`; every later attempt carries that same coin, so a retry after a
 * dropped connection can never spend twice (the UC is idempotent on T).
 * @module
 */
import type { TokenState } from '../../api/index.js';
import { EngineError } from '../errors.js';
import { type ProofRecord, type StoredProof, addProofs, proofById } from './coins.js';
import { type Db, nowIso, sql } from './db.js';

/** A token as the bridge delivers it (protocol.md §TokenGen). */
export interface TokenRecord {
  set: number;
  period: number;
  index: number;
  T: Uint8Array;
  sig: Uint8Array;
}

export interface StoredToken extends TokenRecord {
  id: number;
  state: TokenState;
  dueAt: string | null;
  coinId: number | null;
}

interface TokenRow {
  id: number;
  set_id: number;
  period: number;
  idx: number;
  T: Buffer;
  sig: Buffer;
  state: TokenState;
  due_at: string | null;
  coin_id: number | null;
}

const toStored = (r: TokenRow): StoredToken => ({
  id: r.id,
  set: r.set_id,
  period: r.period,
  index: r.idx,
  T: new Uint8Array(r.T),
  sig: new Uint8Array(r.sig),
  state: r.state,
  dueAt: r.due_at,
  coinId: r.coin_id,
});

export type PaymentOutcome = 'receipt' | 'proxy-refused' | 'uc-unreachable' | 'uc-rejected' | 'receipt-invalid';

export function tokenById(db: Db, id: number): StoredToken {
  const row = sql(db, 'SELECT * FROM tokens WHERE id = ?').get(id) as TokenRow | undefined;
  if (!row) throw new EngineError('not-found', 'no such token');
  return toStored(row);
}

type Column = 'due_at' | 'coin_id' | 'alarm';

function move(db: Db, id: number, from: readonly TokenState[], to: TokenState, set: Partial<Record<Column, string | number | null>> = {}): void {
  const cols = Object.keys(set) as Column[];
  const r = sql(db, `UPDATE tokens SET state = ?, updated_at = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ? AND state IN (${from.map(() => '?').join(',')})`)
    .run(to, nowIso(), ...cols.map((c) => set[c]), id, ...from);
  if (r.changes !== 1) throw new EngineError('state-conflict', `token cannot go to ${to} from its current state`);
}

/**
 * Stores a token durably before anything else. A token seen before (the carousel repeats) is not new, and a
 * period already settled takes no more tokens: `id` is then null.
 */
export function receiveToken(db: Db, t: TokenRecord): { id: number | null; fresh: boolean } {
  const at = nowIso();
  const r = sql(db, `INSERT OR IGNORE INTO tokens (set_id, period, idx, T, sig, state, received_at, updated_at)
      SELECT ?, ?, ?, ?, ?, 'received', ?, ? WHERE NOT EXISTS (SELECT 1 FROM settlements WHERE period = ? AND state = 'settled')`)
    .run(t.set, t.period, t.index, Buffer.from(t.T), Buffer.from(t.sig), at, at, t.period);
  if (r.changes === 1) return { id: Number(r.lastInsertRowid), fresh: true };
  const row = sql(db, 'SELECT id FROM tokens WHERE set_id = ? AND period = ? AND T = ?').get(t.set, t.period, Buffer.from(t.T)) as { id: number } | undefined;
  return { id: row?.id ?? null, fresh: false };
}

/** received → scheduled, to be paid at `dueAt` (the scheduler picks it). */
export function scheduleToken(db: Db, id: number, dueAt: string): void {
  db.transaction(() => move(db, id, ['received'], 'scheduled', { due_at: new Date(dueAt).toISOString() }))();
}

export interface PaymentAttempt {
  paymentId: number;
  token: StoredToken;
  coin: StoredProof;
}

/**
 * Starts one attempt to pay token `id`: scheduled → paying with a fresh 1-unit coin reserved for it, or, for a
 * token already paying (a retry), the coin it already holds. Throws 'wallet-empty' and changes nothing when no
 * 1-unit coin is in stock.
 */
export function startPayment(db: Db, id: number): PaymentAttempt {
  return db.transaction((): PaymentAttempt => {
    const token = tokenById(db, id);
    let coinId = token.coinId;
    if (token.state === 'scheduled') {
      const coin = sql(db, "SELECT id FROM proofs WHERE state = 'unspent' AND amount = 1 ORDER BY id LIMIT 1").get() as { id: number } | undefined;
      if (!coin) throw new EngineError('wallet-empty', 'no 1-unit coin in stock');
      coinId = coin.id;
      sql(db, "UPDATE proofs SET state = 'reserved', updated_at = ? WHERE id = ? AND state = 'unspent'").run(nowIso(), coinId);
      move(db, id, ['scheduled'], 'paying', { coin_id: coinId });
    } else if (token.state !== 'paying' || coinId === null) {
      throw new EngineError('state-conflict', 'token is not due for payment');
    }
    const p = sql(db, 'INSERT INTO payments (token_id, coin_id, started_at) VALUES (?, ?, ?)').run(id, coinId, nowIso());
    return { paymentId: Number(p.lastInsertRowid), token: tokenById(db, id), coin: proofById(db, coinId) };
  })();
}

function finish(db: Db, paymentId: number, outcome: PaymentOutcome): number {
  const r = sql(db, 'UPDATE payments SET outcome = ?, finished_at = ? WHERE id = ? AND outcome IS NULL').run(outcome, nowIso(), paymentId);
  if (r.changes !== 1) throw new EngineError('state-conflict', 'payment attempt already finished');
  return (sql(db, 'SELECT token_id FROM payments WHERE id = ?').get(paymentId) as { token_id: number }).token_id;
}

/** The attempt did not get an answer; the token stays `paying` and keeps its coin for the retry. */
export function paymentFailed(db: Db, paymentId: number, outcome: 'proxy-refused' | 'uc-unreachable'): void {
  db.transaction(() => {
    const tokenId = finish(db, paymentId, outcome);
    if (tokenById(db, tokenId).state !== 'paying') throw new EngineError('state-conflict', 'token is not paying');
  })();
}

/**
 * paying → receipted with a receipt the caller has VERIFIED; the coin is spent against it. `answer` is the UC's:
 * after 'already-paid' the coin may still be unspent at the mint, and `coinsToCheck` lists it.
 */
export function paymentReceipted(db: Db, paymentId: number, receipt: Uint8Array, answer: 'paid' | 'already-paid' = 'paid'): void {
  db.transaction(() => {
    const tokenId = finish(db, paymentId, 'receipt');
    sql(db, 'UPDATE payments SET answer = ? WHERE id = ?').run(answer, paymentId);
    const { coinId } = tokenById(db, tokenId);
    move(db, tokenId, ['paying'], 'receipted', { alarm: null });
    sql(db, 'INSERT INTO receipts (token_id, receipt, verified_at) VALUES (?, ?, ?)').run(tokenId, Buffer.from(receipt), nowIso());
    const c = sql(db, "UPDATE proofs SET state = 'spent', updated_at = ? WHERE id = ? AND state = 'reserved'").run(nowIso(), coinId);
    if (c.changes !== 1) throw new EngineError('state-conflict', 'coin of the token is not reserved');
  })();
}

/** paying → alarm: the UC refused or answered with a bad receipt. The coin stays bound (the UC may hold it). */
export function paymentAlarm(db: Db, paymentId: number, outcome: 'uc-rejected' | 'receipt-invalid', reason: string): void {
  db.transaction(() => {
    const tokenId = finish(db, paymentId, outcome);
    move(db, tokenId, ['paying'], 'alarm', { alarm: reason });
  })();
}

/** alarm → paying, after the user has seen the alarm; the same coin goes again. */
export function retryAlarm(db: Db, id: number): void {
  db.transaction(() => move(db, id, ['alarm'], 'paying', { alarm: null }))();
}

/** Tokens to pay now: scheduled ones whose time has come, and paying ones awaiting a retry. */
export function dueTokens(db: Db, now: string, limit: number): StoredToken[] {
  const rows = sql(db, `SELECT * FROM tokens WHERE (state = 'scheduled' AND due_at <= ?) OR state = 'paying' ORDER BY due_at, id LIMIT ?`)
    .all(now, limit) as TokenRow[];
  return rows.map(toStored);
}

export function tokensInState(db: Db, state: TokenState): StoredToken[] {
  return (sql(db, 'SELECT * FROM tokens WHERE state = ? ORDER BY id').all(state) as TokenRow[]).map(toStored);
}

export function tokensOfPeriod(db: Db, period: number): (StoredToken & { receipt: Uint8Array | null })[] {
  const rows = sql(db, 'SELECT t.*, r.receipt FROM tokens t LEFT JOIN receipts r ON r.token_id = t.id WHERE t.period = ? ORDER BY t.idx, t.id')
    .all(period) as (TokenRow & { receipt: Buffer | null })[];
  return rows.map((r) => ({ ...toStored(r), receipt: r.receipt ? new Uint8Array(r.receipt) : null }));
}

export function countTokens(db: Db, period?: number): Record<TokenState, number> {
  const rows = (period === undefined
    ? sql(db, 'SELECT state, COUNT(*) AS n FROM tokens GROUP BY state').all()
    : sql(db, 'SELECT state, COUNT(*) AS n FROM tokens WHERE period = ? GROUP BY state').all(period)) as { state: TokenState; n: number }[];
  const out: Record<TokenState, number> = { received: 0, scheduled: 0, paying: 0, alarm: 0, receipted: 0, settled: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}

/** Coins of payments the UC answered 'already-paid', not yet checked at the mint. */
export function coinsToCheck(db: Db): { paymentId: number; coin: StoredProof }[] {
  const rows = sql(db, "SELECT id, coin_id FROM payments WHERE answer = 'already-paid' AND coin_checked = 0 ORDER BY id").all() as { id: number; coin_id: number }[];
  return rows.map((r) => ({ paymentId: r.id, coin: proofById(db, r.coin_id) }));
}

/**
 * Records the check of those coins: `returned` are the new proofs the mint gave for the ones it still counted as
 * unspent (their old rows stay `spent`: spent by that swap, each bound to its receipted token).
 */
export function coinsChecked(db: Db, paymentIds: readonly number[], returned: readonly ProofRecord[]): void {
  db.transaction(() => {
    for (const id of paymentIds) sql(db, 'UPDATE payments SET coin_checked = 1 WHERE id = ?').run(id);
    addProofs(db, returned);
  })();
}

/*
 * Recovery (docs/engine.md §Recovery): a wallet rebuilt from its seed phrase holds a token of a period that may have
 * been paid before the loss in `received`, with the time it would have been paid, until the UC says whether it was.
 */

/** Holds a received token until `dueAt`, when the UC is asked for its receipt instead of being paid. */
export function holdToken(db: Db, id: number, dueAt: string): void {
  db.transaction(() => move(db, id, ['received'], 'received', { due_at: new Date(dueAt).toISOString() }))();
}

/** Every scheduled token back to held (they hold no coin yet), keeping its time. */
export function holdScheduled(db: Db): number {
  return sql(db, "UPDATE tokens SET state = 'received', updated_at = ? WHERE state = 'scheduled'").run(nowIso()).changes;
}

/** Held tokens whose time has come, oldest first. */
export function heldTokens(db: Db, now: string, limit: number): StoredToken[] {
  return (sql(db, "SELECT * FROM tokens WHERE state = 'received' AND due_at <= ? ORDER BY due_at, id LIMIT ?").all(now, limit) as TokenRow[])
    .map(toStored);
}

/** Held tokens of periods after `horizon` (never payable before the loss) are scheduled at their time. */
export function releaseHeld(db: Db, horizon: number): number {
  return sql(db, "UPDATE tokens SET state = 'scheduled', updated_at = ? WHERE state = 'received' AND due_at IS NOT NULL AND period > ?")
    .run(nowIso(), horizon).changes;
}

/** received → scheduled now: the UC says the token is not paid, so it is paid as usual. */
export function releaseToken(db: Db, id: number): void {
  db.transaction(() => move(db, id, ['received'], 'scheduled', { due_at: nowIso() }))();
}

/** received → receipted with a receipt the caller has VERIFIED, fetched again without a coin (`recovered`). */
export function receiptRecovered(db: Db, id: number, receipt: Uint8Array): void {
  db.transaction(() => {
    move(db, id, ['received'], 'receipted');
    sql(db, 'INSERT INTO receipts (token_id, receipt, verified_at, recovered) VALUES (?, ?, ?, 1)').run(id, Buffer.from(receipt), nowIso());
  })();
}

/**
 * What the wallet holds of one period's payments: receipts stored (each verified before it is stored) and coins spent
 * on its tokens. They differ when something went wrong (a coin reserved for a refused payment, a receipt recovered
 * from the UC without a coin); the demo reports both.
 */
export function periodPayments(db: Db, period: number): { receiptsVerified: number; coinsSpent: number } {
  return sql(db, `SELECT
      (SELECT COUNT(*) FROM receipts r JOIN tokens t ON t.id = r.token_id WHERE t.period = @period) AS receiptsVerified,
      (SELECT COUNT(*) FROM tokens t JOIN proofs p ON p.id = t.coin_id WHERE t.period = @period AND p.state = 'spent') AS coinsSpent`)
    .get({ period }) as { receiptsVerified: number; coinsSpent: number };
}
