/**
 * NUT-04/05/23 (bolt11) quotes, NUT-08 change and NUT-20 quote signatures, on top of the ledger and a
 * LightningBackend.
 *
 * A melt first records its inputs as PENDING (NUT-07) and the quote as PENDING in one transaction, then asks
 * the backend to pay; PAID makes the inputs SPENT and signs the change, FAILED makes them spendable again.
 * A backend that throws leaves both PENDING: whether the payment left is then unknown.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { pointFromHex, verifyMintQuoteSignature, Amount } from '@cashu/cashu-ts';
import { MintError } from './errors.js';
import type { BlindSignatureJson } from './keysets.js';
import type { Ledger } from './ledger.js';
import type { LightningBackend, PaymentResult } from './lightning.js';
import { outputsAmount, verifyInputs, verifyOutputs, type BlindedMessageJson, type ProofJson } from './verify.js';

export interface QuoteLimits {
  unit: string;
  minAmount: number;
  maxAmount: number;
  quoteTtlSeconds: number;
}

export interface MintQuoteResponse {
  quote: string;
  request: string;
  amount: number;
  unit: string;
  state: 'UNPAID' | 'PAID' | 'ISSUED';
  expiry: number;
  pubkey?: string;
}

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

interface MintQuoteRow {
  id: string;
  unit: string;
  amount: number;
  request: string;
  payment_hash: string;
  state: MintQuoteResponse['state'];
  expiry: number;
  pubkey: string | null;
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

export class Quotes {
  private readonly st: Record<
    | 'mintQuote' | 'mintQuoteByHash' | 'insertMintQuote' | 'markPaid' | 'markIssued'
    | 'meltQuote' | 'insertMeltQuote' | 'meltPending' | 'meltDone',
    Statement
  >;

  constructor(
    private readonly ledger: Ledger,
    private readonly backend: LightningBackend,
    private readonly limits: QuoteLimits,
  ) {
    const db = ledger.db;
    this.st = {
      mintQuote: db.prepare('SELECT * FROM mint_quotes WHERE id = ?'),
      mintQuoteByHash: db.prepare('SELECT * FROM mint_quotes WHERE payment_hash = ?'),
      insertMintQuote: db.prepare(
        `INSERT INTO mint_quotes (id, unit, amount, request, payment_hash, state, expiry, pubkey, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      markPaid: db.prepare("UPDATE mint_quotes SET state = 'PAID' WHERE payment_hash = ? AND state = 'UNPAID'"),
      markIssued: db.prepare("UPDATE mint_quotes SET state = 'ISSUED' WHERE id = ? AND state = 'PAID'"),
      meltQuote: db.prepare('SELECT * FROM melt_quotes WHERE id = ?'),
      insertMeltQuote: db.prepare(
        `INSERT INTO melt_quotes (id, unit, request, payment_hash, amount, fee_reserve, state, expiry, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'UNPAID', ?, ?)`,
      ),
      meltPending: db.prepare("UPDATE melt_quotes SET state = 'PENDING' WHERE id = ? AND state = 'UNPAID'"),
      meltDone: db.prepare('UPDATE melt_quotes SET state = ?, payment_preimage = ?, change = ? WHERE id = ?'),
    };
    backend.start((paymentHash) => this.invoicePaid(paymentHash));
  }

  async createMintQuote(req: { amount: number; unit: string; description?: string; pubkey?: string }): Promise<MintQuoteResponse> {
    this.checkUnitAndAmount(req.unit, req.amount);
    if (req.pubkey !== undefined) {
      try {
        pointFromHex(req.pubkey);
      } catch (cause) {
        throw new MintError('quote-pubkey-invalid', 'invalid pubkey for mint quote', { cause });
      }
    }
    const invoice = await this.backend.createInvoice({
      amount: req.amount,
      unit: req.unit,
      description: req.description,
      expirySeconds: this.limits.quoteTtlSeconds,
    });
    const id = uuidv7();
    this.st.insertMintQuote.run(id, req.unit, req.amount, invoice.request, invoice.paymentHash,
      invoice.paid ? 'PAID' : 'UNPAID', invoice.expiry, req.pubkey ?? null, Date.now());
    return this.getMintQuote(id);
  }

  getMintQuote(id: string): MintQuoteResponse {
    const r = this.st.mintQuote.get(id) as MintQuoteRow | undefined;
    if (r === undefined) throw new MintError('quote-unknown', 'quote not found');
    return {
      quote: r.id, request: r.request, amount: r.amount, unit: r.unit, state: r.state, expiry: r.expiry,
      ...(r.pubkey === null ? {} : { pubkey: r.pubkey }),
    };
  }

  /** The backend saw a payment: its mint quote becomes PAID (announced over NUT-17). */
  invoicePaid(paymentHash: string): void {
    if (this.st.markPaid.run(paymentHash).changes === 0) return;
    const r = this.st.mintQuoteByHash.get(paymentHash) as MintQuoteRow;
    this.ledger.events.emit({ kind: 'bolt11_mint_quote', id: r.id, payload: this.getMintQuote(r.id) });
  }

  /** NUT-04 mint, with NUT-20 signature when the quote has a pubkey. */
  mint(req: { quote: string; outputs: BlindedMessageJson[]; signature?: string }): BlindSignatureJson[] {
    const q = this.getMintQuote(req.quote);
    if (q.state === 'ISSUED') throw new MintError('quote-issued', 'quote has already been issued');
    if (q.state === 'UNPAID') {
      if (q.expiry < nowSeconds()) throw new MintError('quote-expired', 'quote is expired');
      throw new MintError('quote-unpaid', 'quote request is not paid');
    }
    if (q.pubkey !== undefined && !this.quoteSignatureValid(q.pubkey, q.quote, req.outputs, req.signature)) {
      throw new MintError('quote-signature-invalid', 'signature for mint request invalid');
    }
    const outs = verifyOutputs(this.ledger.keysets, req.outputs, this.ledger.limits);
    if (outs.some((o) => o.keyset.unit !== q.unit)) throw new MintError('unit-mismatch', 'outputs not of the quote unit');
    if (outputsAmount(outs) !== q.amount) throw new MintError('unbalanced', 'outputs do not sum to the quote amount');
    const signatures = this.ledger.sign(outs);
    this.ledger.transaction(() => {
      if (this.st.markIssued.run(q.quote).changes !== 1) throw new MintError('quote-issued', 'quote has already been issued');
      this.ledger.record(outs, signatures);
    });
    this.ledger.events.emit({ kind: 'bolt11_mint_quote', id: q.quote, payload: { ...q, state: 'ISSUED' } });
    return signatures;
  }

  async createMeltQuote(req: { request: string; unit: string }): Promise<MeltQuoteResponse> {
    if (req.unit !== this.limits.unit) throw new MintError('unit-unsupported', 'unit in request is not supported');
    const pq = await this.backend.quotePayment(req.request, req.unit);
    this.checkUnitAndAmount(req.unit, pq.amount);
    const id = uuidv7();
    this.st.insertMeltQuote.run(id, req.unit, req.request, pq.paymentHash, pq.amount, pq.feeReserve,
      nowSeconds() + this.limits.quoteTtlSeconds, Date.now());
    return this.getMeltQuote(id);
  }

  getMeltQuote(id: string): MeltQuoteResponse {
    const r = this.meltQuoteRow(id);
    return {
      quote: r.id, request: r.request, amount: r.amount, unit: r.unit, fee_reserve: r.fee_reserve, state: r.state,
      expiry: r.expiry, payment_preimage: r.payment_preimage,
      ...(r.change === null ? {} : { change: JSON.parse(r.change) as BlindSignatureJson[] }),
    };
  }

  /** NUT-05 melt with NUT-08 blank outputs for the unused fee reserve. */
  async melt(req: { quote: string; inputs: ProofJson[]; outputs?: BlindedMessageJson[] }): Promise<MeltQuoteResponse> {
    const q = this.getMeltQuote(req.quote);
    if (q.state === 'PENDING') throw new MintError('quote-pending', 'quote is pending');
    if (q.state === 'PAID') throw new MintError('invoice-paid', 'invoice already paid');
    if (q.expiry < nowSeconds()) throw new MintError('quote-expired', 'quote is expired');
    const { keysets, limits } = this.ledger;
    const outs = verifyOutputs(keysets, req.outputs ?? [], limits, { blank: true });
    const ins = verifyInputs(keysets, req.inputs, limits, {
      outputs: req.outputs ?? [],
      quoteId: q.quote,
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
      if (this.st.meltPending.run(q.quote).changes !== 1) throw new MintError('quote-pending', 'quote is pending');
      this.ledger.spend(req.inputs, ins, 'PENDING', q.quote);
    });
    this.ledger.events.proofStates(ins.ys.map((Y) => ({ Y, state: 'PENDING', witness: null })));
    this.announceMelt(q.quote);
    let result: PaymentResult;
    try {
      const paymentHash = this.meltQuoteRow(q.quote).payment_hash;
      result = await this.backend.pay(q.request, { amount: q.amount, feeReserve: q.fee_reserve, paymentHash });
    } catch {
      result = { state: 'PENDING' };
    }
    if (result.state === 'PENDING') return this.getMeltQuote(q.quote);
    const paid = result.state === 'PAID';
    let change: BlindSignatureJson[] = [];
    if (result.state === 'PAID') {
      const amounts = changeAmounts(ins.amount - ins.fee - q.amount - result.feePaid, outs.length);
      change = this.ledger.sign(outs.slice(0, amounts.length), amounts);
    }
    const ys = this.ledger.transaction(() => {
      const settled = this.ledger.finishPending(q.quote, paid);
      this.st.meltDone.run(paid ? 'PAID' : 'UNPAID', paid ? (result as { preimage: string }).preimage : null,
        change.length > 0 ? JSON.stringify(change) : null, q.quote);
      this.ledger.record(outs.slice(0, change.length), change);
      return settled;
    });
    this.ledger.events.proofStates(ys.map((Y) => ({ Y, state: paid ? 'SPENT' : 'UNSPENT', witness: null })));
    this.announceMelt(q.quote);
    if (!paid) throw new MintError('payment-failed', 'lightning payment failed');
    return this.getMeltQuote(q.quote);
  }

  private meltQuoteRow(id: string): MeltQuoteRow {
    const r = this.st.meltQuote.get(id) as MeltQuoteRow | undefined;
    if (r === undefined) throw new MintError('quote-unknown', 'quote not found');
    return r;
  }

  private announceMelt(id: string): void {
    this.ledger.events.emit({ kind: 'bolt11_melt_quote', id, payload: this.getMeltQuote(id) });
  }

  private checkUnitAndAmount(unit: string, amount: number): void {
    if (unit !== this.limits.unit) throw new MintError('unit-unsupported', 'unit in request is not supported');
    if (amount < this.limits.minAmount || amount > this.limits.maxAmount) {
      throw new MintError('amount-out-of-range', 'amount outside of limit range');
    }
  }

  private quoteSignatureValid(pubkey: string, quote: string, outputs: BlindedMessageJson[], signature?: string): boolean {
    if (signature === undefined) return false;
    try {
      const messages = outputs.map((o) => ({ ...o, amount: Amount.from(o.amount) }));
      return verifyMintQuoteSignature(pubkey, quote, messages, signature);
    } catch {
      return false;
    }
  }
}

/**
 * NUT-08: the change as powers of two, ascending, at most `slots` of them (the largest ones when the blank
 * outputs cannot hold every piece).
 */
export function changeAmounts(change: number, slots: number): number[] {
  const pieces: number[] = [];
  for (let bit = 1; bit <= change; bit *= 2) if (Math.floor(change / bit) % 2 === 1) pieces.push(bit);
  return pieces.slice(Math.max(0, pieces.length - slots));
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** RFC 9562 UUID v7: 48-bit Unix milliseconds, then 74 random bits (NUT-04: quote ids are secret). */
export function uuidv7(): string {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = 0x70 | ((b[6] as number) & 0x0f);
  b[8] = 0x80 | ((b[8] as number) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
