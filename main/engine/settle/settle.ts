/**
 * Settlement at period end (protocol.md §Settlement): when the bill is here and every one of its K tokens has a
 * verified receipt, combine C = Σω − ρ·A1, check it locally against the bill (e(C, G2) = e(R, A2)), record it, send
 * it, store the UC's answer. A period that is not ready waits and says what it waits for: missing tokens come from
 * the meter's carousel, missing receipts from the payer (a token whose answer was lost is paid again with the same
 * coin, and the idempotent UC returns its receipt without taking another).
 * @module
 */
import { type CurveBackend, combineReceipts, verifySettlementPublic } from '../../../protocol/index.js';
import type { SettlementView } from '../../api/index.js';
import { settlePeriod } from '../pay/index.js';
import type { SocksRoute } from '../route/index.js';
import {
  type Db, billOf, pinnedUtility, settlementAnswered, settlementOf, settlementSent, tokensOfPeriod,
} from '../wallet/index.js';

export interface SettleContext {
  db: Db;
  route: SocksRoute | null;
  ucUrl: string;
  backend?: CurveBackend;
}

/** Where the period stands, from the wallet alone. */
export function settlementView(db: Db, period: number): SettlementView {
  const s = settlementOf(db, period);
  if (s?.state === 'settled') return { kind: 'settled', at: s.answeredAt ?? '', answer: s.answer ?? '' };
  if (s?.state === 'refused') return { kind: 'refused', at: s.answeredAt ?? '', reason: s.answer ?? '' };
  const bill = billOf(db, period);
  if (!bill) return { kind: 'open' };
  const tokens = tokensOfPeriod(db, period);
  return {
    kind: 'waiting',
    missingTokens: Math.max(0, bill.count - tokens.length),
    missingReceipts: tokens.filter((t) => t.state !== 'receipted' && t.state !== 'settled').length,
  };
}

/**
 * Settles `period` if it is ready; else returns what it waits for. Throws 'uc-unreachable'/'proxy-refused' with
 * the combined receipt recorded as sent, so the next call sends the same C again.
 */
export async function settleIfReady(ctx: SettleContext, period: number): Promise<SettlementView> {
  const view = settlementView(ctx.db, period);
  if (view.kind !== 'waiting' || view.missingTokens > 0 || view.missingReceipts > 0) return view;
  const bill = billOf(ctx.db, period)!;
  const uc = pinnedUtility(ctx.db);
  if (!uc) return view; // no UC contact yet: nothing can have been paid
  const receipts = tokensOfPeriod(ctx.db, period).map((t) => t.receipt!);
  const combined = combineReceipts(receipts, bill.mask, uc.A1, ctx.backend);
  if (!verifySettlementPublic(uc.A2, bill.R, combined, ctx.backend)) {
    // Every receipt verified on its own, so the tokens stored are not exactly the bill's; nothing is sent.
    return { kind: 'refused', at: new Date().toISOString(), reason: 'the receipts do not add up to the bill: a token of this period is missing or foreign' };
  }
  settlementSent(ctx.db, period, combined);
  const answer = await settlePeriod(ctx.route, ctx.ucUrl, { meter: bill.meter, period, fault: bill.fault, R: bill.R, sig: bill.sig, combined });
  settlementAnswered(ctx.db, period, answer.settled ? 'settled' : 'refused', answer.answer);
  return settlementView(ctx.db, period);
}
