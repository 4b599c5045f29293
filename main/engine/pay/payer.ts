/**
 * Pays the tokens that are due (protocol.md §Payment): one `POST /v1/pay` per token with its one coin, each on its
 * own SOCKS connection, then verifies the receipts (in one batch when several arrived) before any token counts as
 * paid. A bad receipt is an alarm, never a silent retry; a lost answer leaves the token `paying` with its coin, and
 * the next round retries with that same coin.
 * @module
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { ReceiptCheckPool } from '../../../curve-backends/index.js';
import { type CurveBackend, verifyReceipt, verifyReceiptsBatch } from '../../../protocol/index.js';
import { EngineError, type EngineErrorCode } from '../errors.js';
import type { SocksRoute } from '../route/index.js';
import {
  type Db, type PaymentAttempt, type StoredProof, dueTokens, paymentAlarm, paymentFailed, paymentReceipted, startPayment,
} from '../wallet/index.js';
import { payToken } from './uc-client.js';

export interface PayerContext {
  db: Db;
  route: SocksRoute | null;
  ucUrl: string;
  /** The pinned receipt key A2. */
  A2: Uint8Array;
  /** The proof as a cashuB token string (cashu/). */
  encodeCoin: (p: StoredProof) => string;
  randomBytes?: (n: number) => Uint8Array;
  /** Payments in flight at once, each on its own connection and circuit. */
  concurrency?: number;
  /** The curve implementation for receipt checks (default: noble). */
  backend?: CurveBackend;
  /** Where large batches of receipts are checked over the cores (the engine's, on `backend`); else in this thread. */
  receiptPool?: ReceiptCheckPool;
}

export interface PayRound {
  /** The longest Retry-After the UC asked for (a 429 or 503), 0 if none: no payment goes before it has passed. */
  retryAfterMs: number;
  attempted: number;
  paid: number;
  /** Receipts that do not verify: an alarm. */
  alarms: number;
  /** Payments the UC refused (4xx: the token or the coin): an alarm too. */
  refused: number;
  /** Periods of the tokens paid this round, one entry per token. */
  paidPeriods: number[];
  /** Why the round stopped early or failed attempts, or null. */
  blockedBy: EngineErrorCode | null;
}

interface Answered { attempt: PaymentAttempt; receipt: Uint8Array; status: 'paid' | 'already-paid' }

/** Pays up to `limit` due tokens now. */
export async function payDue(ctx: PayerContext, now: string, limit: number): Promise<PayRound> {
  const round: PayRound = { retryAfterMs: 0, attempted: 0, paid: 0, alarms: 0, refused: 0, paidPeriods: [], blockedBy: null };
  if (ctx.route === null) return { ...round, blockedBy: 'proxy-refused' }; // fail closed, before touching a coin
  const queue = dueTokens(ctx.db, now, limit);
  const answered: Answered[] = [];

  // A failure to record (disk full, database locked) stops every worker before its next coin leaves; the
  // attempts already answered are still recorded when the wallet allows, and the failure is rethrown.
  let failure: unknown = null;
  const stopped = () => failure !== null || round.blockedBy === 'proxy-refused' || round.blockedBy === 'wallet-empty' || round.retryAfterMs > 0;
  const pay = async () => {
    for (let t = queue.shift(); t && !stopped(); t = queue.shift()) {
      let attempt: PaymentAttempt;
      try {
        attempt = startPayment(ctx.db, t.id);
      } catch (e) {
        if (e instanceof EngineError && e.code === 'wallet-empty') { round.blockedBy = 'wallet-empty'; return; }
        throw e;
      }
      round.attempted++;
      try {
        const a = attempt.token;
        const answer = await payToken(ctx.route, ctx.ucUrl, { set: a.set, period: a.period, T: a.T, sig: a.sig, coin: ctx.encodeCoin(attempt.coin) });
        answered.push({ attempt, receipt: answer.receipt, status: answer.status });
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        if (e.code === 'proxy-refused' || e.code === 'uc-unreachable' || e.code === 'uc-error') {
          // The coin's fate is unknown: the token stays paying with it ('uc-error' is stored as no usable answer).
          paymentFailed(ctx.db, attempt.paymentId, e.code === 'proxy-refused' ? 'proxy-refused' : 'uc-unreachable');
          round.blockedBy = e.code;
          // The UC asked for time: no further coin leaves this round, and the engine waits that long.
          round.retryAfterMs = Math.max(round.retryAfterMs, e.retryAfterMs ?? 0);
        } else {
          paymentAlarm(ctx.db, attempt.paymentId, e.code === 'receipt-invalid' ? 'receipt-invalid' : 'uc-rejected', e.message);
          if (e.code === 'receipt-invalid') round.alarms++;
          else round.refused++;
        }
      }
    }
  };
  const worker = () => pay().catch((e: unknown) => { failure ??= e; });
  await Promise.all(Array.from({ length: Math.max(1, ctx.concurrency ?? 4) }, worker));
  try {
    await record(ctx, answered, round);
  } catch (e) {
    failure ??= e; // the unrecorded tokens stay paying with their coins; the retry gets the receipt again
  }
  if (failure !== null) throw failure;
  return round;
}

async function record(ctx: PayerContext, answered: readonly Answered[], round: PayRound): Promise<void> {
  const bad = new Set(await badReceipts(ctx, answered.map(({ attempt, receipt }) => ({ T: attempt.token.T, receipt }))));
  answered.forEach(({ attempt, receipt, status }, i) => {
    if (bad.has(i)) {
      paymentAlarm(ctx.db, attempt.paymentId, 'receipt-invalid', 'the utility answered with a receipt that does not verify');
      round.alarms++;
    } else {
      paymentReceipted(ctx.db, attempt.paymentId, receipt, status);
      round.paid++;
      round.paidPeriods.push(attempt.token.period);
    }
  });
}

/** Indexes of receipts that fail: subgroup check and pairing (protocol.md §Payment), batched when several. */
export async function badReceipts(
  ctx: Pick<PayerContext, 'A2' | 'backend' | 'randomBytes' | 'receiptPool'>, items: readonly { T: Uint8Array; receipt: Uint8Array }[],
): Promise<number[]> {
  if (items.length === 0) return [];
  if (items.length === 1) {
    try {
      return verifyReceipt(ctx.A2, items[0]!.T, items[0]!.receipt, ctx.backend) ? [] : [0];
    } catch {
      return [0]; // undecodable or a small-order component
    }
  }
  const randomBytes = ctx.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
  return (ctx.receiptPool ? await ctx.receiptPool.verifyBatch(ctx.A2, items, randomBytes) : verifyReceiptsBatch(ctx.A2, items, randomBytes, ctx.backend)).bad;
}
