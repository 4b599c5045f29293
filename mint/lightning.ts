/**
 * The Lightning side of NUT-04/05/23: an interface a real node can implement later, and `FakeLightning`,
 * the clearly-not-real backend the demo and the tests run on.
 *
 * FakeLightning issues well-formed, signed BOLT-11 invoices (regtest `lnbcrt` by default; testnet, signet,
 * mainnet prefixes on request) at a fixed rate of one mint unit = one satoshi, so a wallet reading the invoice
 * amount sees the quoted amount. It "receives" a payment at creation (default), after `delayMs`, or when
 * `settle()` is called (manual mode), and it "pays" every invoice it is asked to pay, after `payDelayMs`,
 * spending a simulated routing fee out of the fee reserve, and settling its own invoices internally. Like the
 * reference mints' fake wallets (Nutshell's FakeWallet, cdk's fake wallet), it quotes a fee reserve of at least
 * 2 units. Invoices still open when the mint restarts are handed back by `start()` and treated the same way.
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

/** BOLT-11's network prefixes (the hrp after `ln`). */
export const FAKE_NETWORKS = { regtest: 'bcrt', testnet: 'tb', signet: 'tbs', mainnet: 'bc' } as const;
export type FakeNetwork = keyof typeof FAKE_NETWORKS;

export interface FakeLightningOptions {
  /** Invoices remembered at most (default 100,000); the oldest are forgotten first. */
  maxInvoices?: number;
  /** 'auto' (default): invoices are paid at creation, or `delayMs` later; 'manual': only by `settle()`. */
  pay?: 'auto' | 'manual';
  delayMs?: number;
  /** Smallest fee reserve quoted for a melt, in the mint's unit (default 2, as the reference mints). */
  feeReserve?: number;
  /** Fee reserve as a percentage of the amount, where that is more than `feeReserve` (default 1). */
  feeReservePercent?: number;
  /** The routing fee each payment spends, at most the reserve (default 1); the rest comes back as change. */
  routingFee?: number;
  /** A melt's payment takes this long (default 0). */
  payDelayMs?: number;
  /** The invoices' network (default 'regtest': `lnbcrt…`). */
  network?: FakeNetwork;
}

const MSAT_PER_UNIT = 1000n;

function assertCount(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new RangeError(`"${name}" must be a non-negative integer`);
}

/** A stand-in for a Lightning node: no network, no real money. */
export class FakeLightning implements LightningBackend {
  readonly name = 'FakeLightning';
  private readonly nodeKey = secp256k1.utils.randomSecretKey();
  private readonly preimages = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Payments waiting out `payDelayMs`: close() fails them (their outcome stays unknown to the mint). */
  private readonly paying = new Set<(closed: Error) => void>();
  private onPaid: (paymentHash: string) => void = () => {};

  constructor(private readonly options: FakeLightningOptions = {}) {
    for (const name of ['delayMs', 'feeReserve', 'routingFee', 'payDelayMs'] as const) assertCount(name, options[name]);
    const percent = options.feeReservePercent;
    if (percent !== undefined && !(Number.isFinite(percent) && percent >= 0)) throw new RangeError('"feeReservePercent" must be a non-negative number');
    if (options.network !== undefined && !Object.hasOwn(FAKE_NETWORKS, options.network)) {
      throw new RangeError(`"network" must be one of ${Object.keys(FAKE_NETWORKS).join(', ')}`);
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
      network: FAKE_NETWORKS[this.options.network ?? 'regtest'],
      amountMsat: BigInt(req.amount) * MSAT_PER_UNIT,
      paymentHash: sha256(preimage),
      paymentSecret: randomBytes(32),
      description: req.description ?? '',
      expirySeconds: req.expirySeconds,
      timestamp,
      nodeKey: this.nodeKey,
    });
    this.preimages.set(paymentHash, preimage.toString('hex'));
    // Bounded memory: the oldest invoices' preimages go first (their quotes have long expired or been paid).
    if (this.preimages.size > (this.options.maxInvoices ?? 100_000)) this.preimages.delete(this.preimages.keys().next().value!);
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
    const percentOf = Math.ceil((Number(amount) * (this.options.feeReservePercent ?? 1)) / 100);
    return { amount: Number(amount), feeReserve: Math.max(this.options.feeReserve ?? 2, percentOf), paymentHash: invoice.paymentHash };
  }

  async pay(_request: string, quote: PaymentQuote): Promise<PaymentResult> {
    const delayMs = this.options.payDelayMs ?? 0;
    if (delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => (this.timers.delete(timer), this.paying.delete(reject), resolve()), delayMs);
        this.timers.add(timer);
        this.paying.add(reject);
      });
    }
    const own = this.preimages.get(quote.paymentHash);
    if (own !== undefined) this.onPaid(quote.paymentHash); // paying one of our own invoices: settle it here
    const feePaid = Math.min(this.options.routingFee ?? 1, quote.feeReserve);
    return { state: 'PAID', preimage: own ?? randomBytes(32).toString('hex'), feePaid };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const fail of this.paying) fail(new Error('FakeLightning closed during a payment'));
    this.paying.clear();
  }
}
