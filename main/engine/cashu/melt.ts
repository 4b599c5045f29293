/**
 * Taking money out: paying a Lightning invoice from the wallet (NUT-05 bolt11 melt), the unused fee reserve coming
 * back as change in blank outputs (NUT-08, deterministic, DLEQ checked). The melt is noted before it leaves with its
 * inputs held in the note and taken out of the balance in the same transaction (pending.ts): a crash or a lost
 * answer is then finished by EcashWallet.recover (PAID: the change comes back from the seed; FAILED or never sent:
 * the inputs are swapped in again; PENDING: asked again later), never counted twice and never lost.
 * @module
 */
import { isMintOperationError } from '@cashu/cashu-ts';
import type { WithdrawQuoteView, WithdrawView } from '../../api/index.js';
import { EngineError } from '../errors.js';
import { addProofs, coinCounts, removeUnspentProofs, unspentProofs } from '../wallet/index.js';
import { SqliteCounterSource } from './counter-source.js';
import { type EcashWallet, MAX_SWAP_INPUTS, signed, toProof } from './ecash-wallet.js';
import { beginOp, endOp, pendingOps } from './pending.js';

const sum = (ps: readonly { amount: unknown }[]) => ps.reduce((s, p) => s + Number(p.amount), 0);

/** The mint's own refusal behind `e` (NUT-00 `detail`), if it answered one. */
function mintRefusal(e: unknown): string | null {
  for (let c: unknown = e; c instanceof Error; c = c.cause) if (isMintOperationError(c)) return c.message;
  return null;
}

/** Asks the mint for a melt quote on `bolt11`: what paying it takes. Nothing is spent. */
export async function quoteWithdraw(ecash: EcashWallet, bolt11: string): Promise<WithdrawQuoteView> {
  const invoice = (typeof bolt11 === 'string' ? bolt11.trim() : '').replace(/^lightning:/i, '').toLowerCase();
  // BOLT-11's human-readable part: ln + network + amount (digits and a multiplier), then the last '1'; the mint checks the rest.
  const hrp = /^ln([a-z]+?)(\d*)([munp]?)1[02-9ac-hj-np-z]+$/.exec(invoice);
  if (!hrp) throw new EngineError('bad-request', 'not a Lightning invoice: paste the text that starts with lnbc (or lntb, lnbcrt)');
  if (!/^[1-9]/.test(hrp[2] ?? '')) throw new EngineError('bad-request', 'this invoice names no amount: ask for an invoice with an amount');
  const w = await ecash.ready();
  const q = await ecash.wrap(() => w.createMeltQuoteBolt11(invoice)).catch((e: unknown) => {
    const refusal = mintRefusal(e);
    throw refusal === null ? e : new EngineError('bad-request', `the mint will not pay this invoice: ${refusal}`, { cause: e });
  });
  return { quote: q.quote, amount: Number(q.amount), feeReserve: Number(q.fee_reserve), expiresAt: new Date(q.expiry * 1000).toISOString(), balance: coinCounts(ecash.db).balance };
}

/** Pays the invoice of melt quote `quoteId` with the wallet's proofs; the change is stored with the note's end. */
export async function withdraw(ecash: EcashWallet, quoteId: string): Promise<WithdrawView> {
  if (typeof quoteId !== 'string' || !/^[\w-]{1,200}$/.test(quoteId)) throw new EngineError('bad-request', 'a withdrawal needs the quote id quoteWithdraw gave');
  const db = ecash.db;
  await ecash.recover(); // an earlier melt or swap cut short is finished first
  const w = await ecash.ready();
  const q = await ecash.wrap(() => w.checkMeltQuoteBolt11(quoteId)).catch((e: unknown) => {
    throw mintRefusal(e) === null ? e : new EngineError('not-found', 'the mint knows no such withdrawal quote', { cause: e });
  });
  if (q.state !== 'UNPAID') throw new EngineError('withdraw-failed', q.state === 'PAID' ? 'this invoice is already paid' : 'this invoice is being paid already');
  if (q.expiry * 1000 < Date.now()) throw new EngineError('withdraw-failed', "the mint's offer for this invoice ended: ask for a new quote");
  const amount = Number(q.amount);
  const need = amount + Number(q.fee_reserve);
  const mine = unspentProofs(db);
  const { send } = w.selectProofsToSend(mine.map(toProof), need, true);
  const fee = Number(w.getFeesForProofs(send));
  if (sum(send) < need + fee) throw new EngineError('wallet-empty', `the wallet holds ${coinCounts(db).balance}; this invoice needs ${need} with its fee reserve`);
  if (send.length > MAX_SWAP_INPUTS) throw new EngineError('bad-request', `this invoice would take ${send.length} coins from the wallet, more than one request to the mint may carry (${MAX_SWAP_INPUTS}): withdraw a smaller amount at a time`);
  const bySecret = new Map(mine.map((p) => [p.secret, p]));
  const inputs = send.map((p) => bySecret.get(p.secret)!);
  const held = inputs.map(({ id, amount: a, secret, C, dleq }) => ({ id, amount: a, secret, C, dleq }));
  const key = beginOp(db, { op: 'melt', counters: await new SqliteCounterSource(db).snapshot(), inputs: [], held, quote: q.quote },
    () => removeUnspentProofs(db, inputs.map((p) => p.rowId)));
  const paid = (back: number): WithdrawView => ({ state: 'paid', amount, feePaid: sum(held) - amount - back, change: back, balance: coinCounts(db).balance });
  try {
    const r = await ecash.wrap(() => w.ops.meltBolt11(q, held.map(toProof)).asDeterministic(0).run());
    if (r.quote.state !== 'PAID') return { state: 'pending', amount, feePaid: null, change: null, balance: coinCounts(db).balance };
    const change = signed(w, r.change);
    db.transaction(() => { addProofs(db, change); endOp(db, key); })();
    await ecash.splitStock();
    return paid(sum(change));
  } catch (e) {
    await ecash.recover().catch(() => {}); // a refused melt gives its inputs back (swapped in again); a lost answer is finished
    const refusal = mintRefusal(e);
    if (refusal !== null) throw new EngineError('withdraw-failed', `the mint did not pay the invoice: ${refusal}; nothing left the wallet`, { cause: e });
    // The answer was lost: when the recovery above finished a paid melt, the withdrawal is done.
    const done = pendingOps(db).some((p) => p.key === key) ? null : await ecash.wrap(() => w.checkMeltQuoteBolt11(q.quote)).catch(() => null);
    if (done?.state !== 'PAID') throw e;
    return paid(sum(done.change ?? []));
  }
}
