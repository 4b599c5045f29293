/**
 * NUT-05/23 bolt11 melts with NUT-08 change. A melt records its inputs as PENDING (NUT-07) and the quote as
 * PENDING in one transaction, then asks the backend to pay. PAID makes the inputs SPENT and signs the unused fee
 * reserve into the blank outputs; FAILED makes the inputs spendable again (20004). A backend that throws leaves
 * both PENDING: whether the payment left is then unknown. An invoice is paid at most once (20006).
 * @module
 */
import type { Statement } from 'better-sqlite3';
import { MintError } from './errors.js';
import type { BlindSignatureJson } from './keysets.js';
import type { Ledger } from './ledger.js';
import type { LightningBackend, PaymentResult } from './lightning.js';
import { checkUnitAndAmount, nowSeconds, uuidv7, type QuoteLimits } from './quotes.js';
import { verifyInputs, verifyOutputs, type BlindedMessageJson, type ProofJson } from './verify.js';

export interface MeltQuoteResponse {
  quote: string;
  request: string;
  amount: number;
  unit: string;
  fee_reserve: number;
  state: 'UNPAID' | 'PENDING' | 'PAID';
  expiry: number;
  payment_preimage: string | null;
  change?: BlindSignatureJson[];
}

interface MeltQuoteRow {
  id: string;
  unit: string;
  request: string;
  payment_hash: string;
  amount: number;
  fee_reserve: number;
  state: MeltQuoteResponse['state'];
  expiry: number;
  payment_preimage: string | null;
  change: string | null;
}

export class Melts {
  private readonly st: Record<'get' | 'insert' | 'pending' | 'done' | 'invoiceTaken', Statement>;

  constructor(
    private readonly ledger: Ledger,
    private readonly backend: LightningBackend,
    private readonly limits: QuoteLimits,
  ) {
    const db = ledger.db;
    this.st = {
      get: db.prepare('SELECT * FROM melt_quotes WHERE id = ?'),
      insert: db.prepare(
        `INSERT INTO melt_quotes (id, unit, request, payment_hash, amount, fee_reserve, state, expiry, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'UNPAID', ?, ?)`,
      ),
      pending: db.prepare("UPDATE melt_quotes SET state = 'PENDING' WHERE id = ? AND state = 'UNPAID'"),
      done: db.prepare('UPDATE melt_quotes SET state = ?, payment_preimage = ?, change = ? WHERE id = ?'),
      invoiceTaken: db.prepare("SELECT 1 FROM melt_quotes WHERE payment_hash = ? AND state != 'UNPAID'").pluck(),
    };
  }

  async createMeltQuote(req: { request: string; unit: string }): Promise<MeltQuoteResponse> {
    checkUnitAndAmount(this.limits, req.unit, 1);
    const pq = await this.backend.quotePayment(req.request, req.unit);
    checkUnitAndAmount(this.limits, req.unit, pq.amount);
    const id = uuidv7();
    this.st.insert.run(id, req.unit, req.request, pq.paymentHash, pq.amount, pq.feeReserve,
      nowSeconds() + this.limits.quoteTtlSeconds, Date.now());
    return this.getMeltQuote(id);
  }

  getMeltQuote(id: string): MeltQuoteResponse {
    const r = this.row(id);
    return {
      quote: r.id, request: r.request, amount: r.amount, unit: r.unit, fee_reserve: r.fee_reserve, state: r.state,
      expiry: r.expiry, payment_preimage: r.payment_preimage,
      ...(r.change === null ? {} : { change: JSON.parse(r.change) as BlindSignatureJson[] }),
    };
  }

  async melt(req: { quote: string; inputs: ProofJson[]; outputs?: BlindedMessageJson[] }): Promise<MeltQuoteResponse> {
    const q = this.row(req.quote);
    if (q.state === 'PENDING') throw new MintError('quote-pending', 'quote is pending');
    if (q.state === 'PAID') throw new MintError('invoice-paid', 'invoice already paid');
    if (q.expiry < nowSeconds()) throw new MintError('quote-expired', 'quote is expired');
    const { keysets, limits } = this.ledger;
    const blank = req.outputs ?? [];
    const outs = verifyOutputs(keysets, blank, limits, { blank: true });
    const ins = verifyInputs(keysets, req.inputs, limits, {
      outputs: blank,
      quoteId: q.id,
      assertUnspent: (ys) => this.ledger.assertUnspent(ys),
    });
    if (ins.unit !== q.unit || outs.some((o) => o.keyset.unit !== q.unit)) {
      throw new MintError('unit-mismatch', 'inputs and outputs not of the quote unit');
    }
    if (ins.amount - ins.fee < q.amount + q.fee_reserve) {
      throw new MintError('unbalanced', 'inputs do not cover amount, fee reserve and input fees');
    }
    this.ledger.assertUnsigned(outs);
    this.ledger.transaction(() => {
      if (this.st.invoiceTaken.get(q.payment_hash) !== undefined) throw new MintError('invoice-paid', 'invoice already paid');
      if (this.st.pending.run(q.id).changes !== 1) throw new MintError('quote-pending', 'quote is pending');
      this.ledger.spend(req.inputs, ins, 'PENDING', q.id);
    });
    this.ledger.events.proofStates(ins.ys.map((Y) => ({ Y, state: 'PENDING', witness: null })));
    this.announce(q.id);

    let result: PaymentResult;
    try {
      result = await this.backend.pay(q.request, { amount: q.amount, feeReserve: q.fee_reserve, paymentHash: q.payment_hash });
    } catch {
      result = { state: 'PENDING' };
    }
    if (result.state === 'PENDING') return this.getMeltQuote(q.id);
    const paid = result.state === 'PAID';
    const maxPiece = 2 ** ((outs[0]?.keyset.params.maxOrder ?? 1) - 1);
    const overpaid = result.state === 'PAID' ? ins.amount - ins.fee - q.amount - result.feePaid : 0;
    const amounts = changeAmounts(overpaid, outs.length, maxPiece);
    const change = this.ledger.sign(outs.slice(0, amounts.length), amounts);
    const ys = this.ledger.transaction(() => {
      const settled = this.ledger.finishPending(q.id, paid);
      // Blank outputs the wallet got signed elsewhere meanwhile lose their change; the payment still stands.
      const given = change.length > 0 && this.ledger.unsigned(outs.slice(0, change.length)) ? change : [];
      this.st.done.run(paid ? 'PAID' : 'UNPAID', result.state === 'PAID' ? result.preimage : null,
        given.length > 0 ? JSON.stringify(given) : null, q.id);
      this.ledger.record(outs.slice(0, given.length), given);
      return settled;
    });
    this.ledger.events.proofStates(ys.map((Y) => ({ Y, state: paid ? 'SPENT' : 'UNSPENT', witness: null })));
    this.announce(q.id);
    if (!paid) throw new MintError('payment-failed', 'lightning payment failed');
    return this.getMeltQuote(q.id);
  }

  private row(id: string): MeltQuoteRow {
    const r = this.st.get.get(id) as MeltQuoteRow | undefined;
    if (r === undefined) throw new MintError('quote-unknown', 'quote not found');
    return r;
  }

  private announce(id: string): void {
    this.ledger.events.emit({ kind: 'bolt11_melt_quote', id, payload: this.getMeltQuote(id) });
  }
}

/**
 * NUT-08: the change as powers of two of at most `maxPiece` (the keyset's largest amount), ascending, at most
 * `slots` of them (the largest ones when the blank outputs cannot hold every piece).
 */
export function changeAmounts(change: number, slots: number, maxPiece: number): number[] {
  const pieces: number[] = [];
  for (let rest = change; rest > 0; ) {
    const piece = Math.min(maxPiece, 2 ** Math.floor(Math.log2(rest)));
    pieces.unshift(piece);
    rest -= piece;
  }
  return pieces.slice(Math.max(0, pieces.length - slots));
}
