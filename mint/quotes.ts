/**
 * NUT-04/23 bolt11 mint quotes with NUT-20 signatures, on top of the ledger and a LightningBackend: a quote is
 * UNPAID until the backend reports its invoice paid, PAID until its outputs are signed, then ISSUED (once).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { pointFromHex, verifyMintQuoteSignature, Amount } from '@cashu/cashu-ts';
import { MintError } from './errors.js';
import type { BlindSignatureJson } from './keysets.js';
import type { Ledger } from './ledger.js';
import type { LightningBackend } from './lightning.js';
import { outputsAmount, verifyOutputs, type BlindedMessageJson } from './verify.js';

export interface QuoteLimits {
  unit: string;
  minAmount: number;
  maxAmount: number;
  quoteTtlSeconds: number;
  /** Unpaid, unexpired mint quotes open at once: each costs a row and an invoice, and anyone may ask for one. */
  maxOpenQuotes: number;
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

export class MintQuotes {
  private readonly st: Record<'mintQuote' | 'mintQuoteByHash' | 'insertMintQuote' | 'markPaid' | 'markIssued' | 'dropExpired' | 'countOpen', Statement>;

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
      dropExpired: db.prepare("DELETE FROM mint_quotes WHERE state = 'UNPAID' AND expiry < ?"),
      countOpen: db.prepare("SELECT COUNT(*) FROM mint_quotes WHERE state = 'UNPAID'").pluck(),
    };
    const open = db.prepare("SELECT payment_hash FROM mint_quotes WHERE state = 'UNPAID' AND expiry >= ?").pluck();
    backend.start((paymentHash) => this.invoicePaid(paymentHash), open.all(nowSeconds()) as string[]);
  }

  async createMintQuote(req: { amount: number; unit: string; description?: string; pubkey?: string }): Promise<MintQuoteResponse> {
    checkUnitAndAmount(this.limits, req.unit, req.amount);
    if (req.pubkey !== undefined) {
      try {
        pointFromHex(req.pubkey);
      } catch (cause) {
        throw new MintError('quote-pubkey-invalid', 'invalid pubkey for mint quote', { cause });
      }
    }
    // An expired unpaid quote can never be paid: dropped, it frees its place among the open ones.
    this.st.dropExpired.run(nowSeconds());
    if ((this.st.countOpen.get() as number) >= this.limits.maxOpenQuotes)
      throw new MintError('quotes-full', 'too many unpaid mint quotes are open; try again once some are paid or expired');
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
    const r = this.row(id);
    return {
      quote: r.id, request: r.request, amount: r.amount, unit: r.unit, state: r.state, expiry: r.expiry,
      ...(r.pubkey === null ? {} : { pubkey: r.pubkey }),
    };
  }

  /** The payment hash of quote `id`'s invoice. */
  paymentHash(id: string): string {
    return this.row(id).payment_hash;
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

  private row(id: string): MintQuoteRow {
    const r = this.st.mintQuote.get(id) as MintQuoteRow | undefined;
    if (r === undefined) throw new MintError('quote-unknown', 'quote not found');
    return r;
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

/** NUT-04/05 limits: the mint's one unit (11013) and the amount range (11006). */
export function checkUnitAndAmount(limits: QuoteLimits, unit: string, amount: number): void {
  if (unit !== limits.unit) throw new MintError('unit-unsupported', 'unit in request is not supported');
  if (amount < limits.minAmount || amount > limits.maxAmount) {
    throw new MintError('amount-out-of-range', 'amount outside of limit range');
  }
}

export function nowSeconds(): number {
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
