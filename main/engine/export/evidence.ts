/**
 * A period's evidence for a dispute (docs/dispute.md), from the wallet alone: the pinned utility key, the set's token
 * key from the parameters pinned with it, every token with its receipt, the bill with ρ_t and bpk_ID, C and the UC's
 * answer. No coin, no seed. C is the one recorded when it was sent, else combined now from the receipts.
 * @module
 */
import { type CurveBackend, type DisputeEvidence, combineReceipts, encodeEvidence } from '../../../protocol/index.js';
import { EngineError } from '../errors.js';
import { type Db, type PinnedUtility, billOf, pinnedTokenKey, pinnedUtility, settlementOf, tokensOfPeriod } from '../wallet/index.js';

/** tpk_S as the utility published it in the parameters pinned with its key. */
function tokenKeyOf(pin: PinnedUtility, set: number): Uint8Array {
  const key = pinnedTokenKey(pin, set);
  if (!key) throw new EngineError('not-found', `the utility's pinned parameters name no key for set ${set}`);
  return key;
}

/** @throws EngineError 'not-found' when no utility is pinned, the period has no bill, or a token has no receipt yet */
export function periodEvidence(db: Db, period: number, backend?: CurveBackend): DisputeEvidence {
  const pin = pinnedUtility(db);
  if (!pin) throw new EngineError('not-found', 'no utility pinned yet');
  const bill = billOf(db, period);
  if (!bill) throw new EngineError('not-found', `period ${period} has no bill yet`);
  const tokens = tokensOfPeriod(db, period);
  if (tokens.some((t) => !t.receipt)) throw new EngineError('not-found', `not every token of period ${period} has a receipt yet`);
  const sets = new Set(tokens.map((t) => t.set));
  if (sets.size > 1) throw new EngineError('state-conflict', `period ${period} holds tokens of more than one set`);
  const set = tokens[0]?.set ?? (JSON.parse(pin.params) as { sets?: { set: number }[] }).sets?.[0]?.set ?? 0;
  const receipts = tokens.map((t) => t.receipt!);
  const s = settlementOf(db, period);
  return encodeEvidence({
    A1: pin.A1, A2: pin.A2, set, tokenPublicKey: tokenKeyOf(pin, set),
    tokens: tokens.map((t) => ({ T: t.T, sig: t.sig, receipt: t.receipt! })),
    bill: { meter: bill.meter, period, fault: bill.fault, R: bill.R, sig: bill.sig }, billPublicKey: bill.billKey ?? null,
    mask: bill.mask,
    combined: s?.combined ?? combineReceipts(receipts, bill.mask, pin.A1, backend),
  }, s ? { state: s.state, answer: s.answer, answeredAt: s.answeredAt } : null);
}
