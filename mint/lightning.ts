/**
 * The Lightning side of NUT-04/05/23: an interface a real node can implement later, and `FakeLightning`,
 * the clearly-not-real backend the demo and the tests run on.
 *
 * FakeLightning issues well-formed, signed BOLT-11 invoices (regtest `lnbcrt` by default) at a fixed rate of
 * one mint unit = one satoshi, so a wallet reading the invoice amount sees the quoted amount. It "receives" a
 * payment at creation (default), after `delayMs`, or when `settle()` is called (manual mode), and it "pays"
 * every invoice it is asked to pay, settling its own invoices internally. Invoices still open when the mint
 * restarts are handed back by `start()` and treated the same way.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { decodeInvoice, encodeInvoice } from './bolt11.js';
import { MintError } from './errors.js';

export interface InvoiceRequest {
  /** In the mint's unit. */
  amount: number;
  unit: string;
  description?: string;
  expirySeconds: number;
}

export interface Invoice {
  request: string;
  paymentHash: string;
  /** Unix seconds until which the invoice can be paid. */
  expiry: number;
  /** True when the payment already arrived while the invoice was made (FakeLightning's default). */
  paid?: boolean;
}

export interface PaymentQuote {
  /** In the mint's unit. */
  amount: number;
  feeReserve: number;
  paymentHash: string;
}

export type PaymentResult =
  | { state: 'PAID'; preimage: string; feePaid: number }
  | { state: 'FAILED' }
  | { state: 'PENDING' };

/** What the mint needs from a Lightning node. Amounts are in the mint's unit. */
export interface LightningBackend {
  readonly name: string;
  /**
   * Called once by the mint with the invoices of its mint quotes still unpaid (from before a restart); the backend
   * then reports each incoming payment, old or new, by its payment hash.
   */
  start(onInvoicePaid: (paymentHash: string) => void, openInvoices: readonly string[]): void;
  createInvoice(request: InvoiceRequest): Promise<Invoice>;
  /** Amount and fee reserve to pay `request`; MintError for an invoice that cannot be paid. */
  quotePayment(request: string, unit: string): Promise<PaymentQuote>;
  pay(request: string, quote: PaymentQuote): Promise<PaymentResult>;
  close(): Promise<void>;
}

export interface FakeLightningOptions {
  /** 'auto' (default): invoices are paid at creation, or `delayMs` later; 'manual': only by `settle()`. */
  pay?: 'auto' | 'manual';
  delayMs?: number;
  /** Fee reserve quoted for every melt, in the mint's unit (default 0); the fake never spends it. */
  feeReserve?: number;
  /** hrp network: 'bcrt' (default), 'bc', 'tb'. */
  network?: string;
}

const MSAT_PER_UNIT = 1000n;

/** A stand-in for a Lightning node: no network, no real money. */
export class FakeLightning implements LightningBackend {
  readonly name = 'FakeLightning';
  private readonly nodeKey = secp256k1.utils.randomSecretKey();
  private readonly preimages = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private onPaid: (paymentHash: string) => void = () => {};

  constructor(private readonly options: FakeLightningOptions = {}) {
    if (options.delayMs !== undefined && !(Number.isInteger(options.delayMs) && options.delayMs >= 0)) {
      throw new RangeError('"delayMs" must be a non-negative integer');
    }
  }

  start(onInvoicePaid: (paymentHash: string) => void, openInvoices: readonly string[]): void {
    this.onPaid = onInvoicePaid;
    // Auto mode would have paid these by now; manual mode waits for settle() as before the restart. Their
    // preimages died with the old process: paying one through a melt reports a fresh random one.
    for (const paymentHash of openInvoices) {
      this.preimages.set(paymentHash, randomBytes(32).toString('hex'));
      if ((this.options.pay ?? 'auto') === 'auto') this.schedule(paymentHash);
    }
  }

  async createInvoice(req: InvoiceRequest): Promise<Invoice> {
    const preimage = randomBytes(32);
    const paymentHash = bytesToHex(sha256(preimage));
    const timestamp = Math.floor(Date.now() / 1000);
    const request = encodeInvoice({
      network: this.options.network ?? 'bcrt',
      amountMsat: BigInt(req.amount) * MSAT_PER_UNIT,
      paymentHash: sha256(preimage),
      paymentSecret: randomBytes(32),
      description: req.description ?? '',
      expirySeconds: req.expirySeconds,
      timestamp,
      nodeKey: this.nodeKey,
    });
    this.preimages.set(paymentHash, preimage.toString('hex'));
    const auto = (this.options.pay ?? 'auto') === 'auto';
    const delayMs = this.options.delayMs ?? 0;
    if (auto && delayMs > 0) this.schedule(paymentHash);
    return { request, paymentHash, expiry: timestamp + req.expirySeconds, paid: auto && delayMs === 0 };
  }

  private schedule(paymentHash: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.onPaid(paymentHash);
    }, this.options.delayMs ?? 0);
    this.timers.add(timer);
  }

  /** Manual mode: the payment for `paymentHash` arrives now. */
  settle(paymentHash: string): void {
    if (!this.preimages.has(paymentHash)) throw new MintError('quote-unknown', 'no such invoice');
    this.onPaid(paymentHash);
  }

  async quotePayment(request: string): Promise<PaymentQuote> {
    const invoice = decodeInvoice(request);
    if (invoice.amountMsat === null) throw new MintError('amountless-invoice', 'amountless invoices are not supported');
    const amount = (invoice.amountMsat + MSAT_PER_UNIT - 1n) / MSAT_PER_UNIT;
    if (amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new MintError('amount-out-of-range', 'invoice amount too large');
    return { amount: Number(amount), feeReserve: this.options.feeReserve ?? 0, paymentHash: invoice.paymentHash };
  }

  async pay(_request: string, quote: PaymentQuote): Promise<PaymentResult> {
    const own = this.preimages.get(quote.paymentHash);
    if (own !== undefined) this.onPaid(quote.paymentHash); // paying one of our own invoices: settle it here
    return { state: 'PAID', preimage: own ?? randomBytes(32).toString('hex'), feePaid: 0 };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
