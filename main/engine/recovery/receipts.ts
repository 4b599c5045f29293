/**
 * The receipt-first step of a recovery: a held token (tokens.ts §Recovery) whose time has come is looked up at the
 * UC (`POST /v1/receipt`, through the SOCKS route, its own connection and credentials like every request). A
 * receipt that verifies makes it receipted without a coin; `not-paid` releases it to the payer, which pays it as
 * usual. A receipt that does not verify, or a refusal, also goes to the payer, whose alarms say why: nothing is
 * decided on an answer that does not check out.
 * @module
 */
import type { ReceiptCheckPool } from '../../../curve-backends/index.js';
import type { CurveBackend } from '../../../protocol/index.js';
import { EngineError, type EngineErrorCode } from '../errors.js';
import { badReceipts, fetchReceipt } from '../pay/index.js';
import type { SocksRoute } from '../route/index.js';
import { type Db, type StoredToken, heldTokens, receiptRecovered, releaseToken } from '../wallet/index.js';

export interface LookupContext {
  db: Db;
  route: SocksRoute | null;
  ucUrl: string;
  /** The pinned receipt key A2. */
  A2: Uint8Array;
  backend?: CurveBackend;
  /** Where a round's receipts are checked over the cores (the engine's, on `backend`). */
  receiptPool?: ReceiptCheckPool;
  /** Lookups in flight at once, each on its own connection. */
  concurrency?: number;
  randomBytes?: (n: number) => Uint8Array;
}

export interface LookupRound {
  /** Receipts found and verified: tokens now paid without a coin. */
  recovered: number;
  /** Tokens released to the payer (not paid, refused, or a receipt that did not verify). */
  released: number;
  /** Why the round stopped early, or null. */
  blockedBy: EngineErrorCode | null;
}

/** Looks up to `limit` held tokens whose time has come. */
export async function askReceipts(ctx: LookupContext, now: string, limit: number): Promise<LookupRound> {
  const round: LookupRound = { recovered: 0, released: 0, blockedBy: null };
  if (ctx.route === null) return { ...round, blockedBy: 'proxy-refused' };
  const queue = heldTokens(ctx.db, now, limit);
  const found: { token: StoredToken; receipt: Uint8Array }[] = [];
  const release = (t: StoredToken) => { releaseToken(ctx.db, t.id); round.released++; };
  const worker = async () => {
    for (let t = queue.shift(); t && round.blockedBy === null; t = queue.shift()) {
      try {
        const receipt = await fetchReceipt(ctx.route, ctx.ucUrl, t);
        if (receipt) found.push({ token: t, receipt });
        else release(t);
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        if (e.code === 'uc-rejected') release(t);
        else round.blockedBy = e.code; // no usable answer: the token stays held and is asked again
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.concurrency ?? 4) }, worker));
  const bad = new Set(await badReceipts(ctx, found.map(({ token, receipt }) => ({ T: token.T, receipt }))));
  // One transaction for the round's receipts: one commit (a sync to disk) for 256 of them, not one each.
  ctx.db.transaction(() => found.forEach(({ token, receipt }, i) => {
    if (bad.has(i)) release(token);
    else {
      receiptRecovered(ctx.db, token.id, receipt);
      round.recovered++;
    }
  }))();
  return round;
}
