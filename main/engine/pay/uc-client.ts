/**
 * The UC's public API (docs/http-api.md) as the household uses it, always through the SOCKS route.
 * Answers are checked for shape here; their cryptographic meaning (receipts, keys) is checked by the callers.
 * Nothing here logs: the requests carry tokens and coins.
 * @module
 */
import { hexToBytes } from '../../../protocol/index.js';
import { EngineError } from '../errors.js';
import { type RouteResponse, type SocksRoute, cleartextRefusal, routeRequest } from '../route/index.js';

export interface UcParams {
  A1: Uint8Array;
  A2: Uint8Array;
  /** `size`: the meters registered in the set; null when the utility does not say. */
  sets: { set: number; tokenPublicKey: Uint8Array; size: number | null }[];
  mint: { url: string; unit: string };
  openPeriods: number[];
  /** The tariff the utility publishes, unchecked (it is only shown; the engine checks it before use); undefined: none. */
  tariff: unknown;
  /** The answer as received, kept with the pin. */
  raw: string;
}

export interface PayRequest {
  set: number;
  period: number;
  T: Uint8Array;
  sig: Uint8Array;
  /** A cashuB token string holding exactly one 1-unit proof. */
  coin: string;
}

export interface PayAnswer {
  receipt: Uint8Array;
  /** 'already-paid': the UC had this token paid before and took no new coin. */
  status: 'paid' | 'already-paid';
}

export interface SettleRequest {
  meter: string;
  period: number;
  fault: boolean;
  R: Uint8Array;
  sig: Uint8Array;
  combined: Uint8Array;
}

export type SettleAnswer = { settled: true; answer: string } | { settled: false; answer: string };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
/** The UC's error code when it is one (short, lower-case words): its text goes into messages and logs. */
const errorCode = (r: RouteResponse): string =>
  (isObject(r.body) && typeof r.body.error === 'string' && /^[a-z][a-z0-9-]{0,39}$/.test(r.body.error) ? r.body.error : `http-${r.status}`);

/** Answers worth retrying with the same coin: the UC is failing or busy ('uc-error'). */
function transient(r: RouteResponse): boolean {
  return r.status >= 500 || r.status === 429 || errorCode(r) === 'payment-in-progress' || errorCode(r) === 'mint-unavailable';
}

const uc = { unreachable: 'uc-unreachable', malformed: 'uc-error' } as const;

export async function getParams(route: SocksRoute | null, ucUrl: string): Promise<UcParams> {
  const r = await routeRequest(route, { method: 'GET', url: new URL('/v1/params', ucUrl).href, ...uc });
  if (r.status !== 200 || !isObject(r.body)) throw new EngineError('uc-error', `the utility answered ${r.status} to /v1/params`);
  let p: UcParams;
  try {
    const b = r.body as { receiptKey: { A1: string; A2: string }; sets: { set: number; tokenPublicKey: string; size?: unknown }[]; mint: { url: string; unit: string }; openPeriods: number[]; tariff?: unknown };
    p = {
      A1: hexToBytes(b.receiptKey.A1, 48),
      A2: hexToBytes(b.receiptKey.A2, 96),
      sets: b.sets.map((s) => ({ set: s.set, tokenPublicKey: hexToBytes(s.tokenPublicKey, 33), size: Number.isSafeInteger(s.size) && (s.size as number) >= 0 ? (s.size as number) : null })),
      mint: { url: String(b.mint.url), unit: String(b.mint.unit) },
      openPeriods: b.openPeriods.map(Number),
      tariff: b.tariff,
      raw: JSON.stringify(r.body),
    };
  } catch (e) {
    throw new EngineError('uc-error', 'the utility sent parameters this app cannot read', { cause: e });
  }
  // Every coin carries the mint's address: one the coins would travel to in clear is not taken from the utility.
  const mintUrl = URL.canParse(p.mint.url) ? new URL(p.mint.url) : null;
  const refusal = mintUrl ? cleartextRefusal(mintUrl, 'mint') : 'the mint address is not a URL';
  if (refusal) throw new EngineError('uc-error', `the utility announces a mint this app refuses: ${refusal}`);
  return p;
}

/** `GET /v1/meters/:meter`: the bill key the utility registered for this meter; null when it knows no such meter. */
export async function getMeterBillKey(route: SocksRoute | null, ucUrl: string, meter: string): Promise<Uint8Array | null> {
  const r = await routeRequest(route, { method: 'GET', url: new URL(`/v1/meters/${encodeURIComponent(meter)}`, ucUrl).href, ...uc });
  if (r.status === 200 && isObject(r.body) && r.body.meter === meter && typeof r.body.billPublicKey === 'string' && /^[0-9a-fA-F]{66}$/.test(r.body.billPublicKey))
    return hexToBytes(r.body.billPublicKey.toLowerCase(), 33);
  if (errorCode(r) === 'unknown-meter') return null;
  throw new EngineError('uc-error', `the utility answered ${errorCode(r)} when asked for the meter's bill key`);
}

/**
 * `POST /v1/pay`, once. Throws 'uc-unreachable' (no answer) or 'uc-error' (5xx, busy, an answer that is not JSON,
 * cut short or of the wrong shape; with the UC's Retry-After when it sent one) for anything worth retrying with the
 * same coin, 'coin-rejected' when the mint
 * refused the coin, 'uc-rejected' when the UC refuses the token (4xx). A receipt that does not verify is the
 * caller's 'receipt-invalid'.
 */
export async function payToken(route: SocksRoute | null, ucUrl: string, p: PayRequest): Promise<PayAnswer> {
  const r = await routeRequest(route, {
    method: 'POST', url: new URL('/v1/pay', ucUrl).href, ...uc,
    body: { set: p.set, period: p.period, token: hex(p.T), signature: hex(p.sig), coin: p.coin },
  });
  if (r.status === 200 && isObject(r.body)) {
    const { status, receipt } = r.body;
    if ((status === 'paid' || status === 'already-paid') && typeof receipt === 'string' && /^[0-9a-fA-F]{96}$/.test(receipt))
      return { status, receipt: hexToBytes(receipt.toLowerCase(), 48) };
    throw new EngineError('uc-error', 'the utility answered a payment without a readable receipt; the same coin goes again');
  }
  if (transient(r))
    throw new EngineError('uc-error', `the utility is busy or failing (${errorCode(r)}); the same coin goes again`, { retryAfterMs: r.retryAfterMs });
  if (errorCode(r) === 'coin-rejected') throw new EngineError('coin-rejected', 'the mint refused the coin');
  throw new EngineError('uc-rejected', `the utility refused the payment (${errorCode(r)})`);
}

/**
 * `POST /v1/receipt`, once: the receipt of a token paid before (a wallet rebuilt from its seed phrase asks this
 * instead of paying), or null when the UC says `not-paid`. Errors as payToken's; no coin is at stake.
 */
export async function fetchReceipt(route: SocksRoute | null, ucUrl: string, t: Omit<PayRequest, 'coin'>): Promise<Uint8Array | null> {
  const r = await routeRequest(route, {
    method: 'POST', url: new URL('/v1/receipt', ucUrl).href, ...uc,
    body: { set: t.set, period: t.period, token: hex(t.T), signature: hex(t.sig) },
  });
  if (r.status === 200 && isObject(r.body)) {
    const { receipt } = r.body;
    if (typeof receipt === 'string' && /^[0-9a-fA-F]{96}$/.test(receipt)) return hexToBytes(receipt.toLowerCase(), 48);
    throw new EngineError('uc-error', 'the utility answered without a readable receipt; will ask again');
  }
  if (errorCode(r) === 'not-paid') return null;
  if (transient(r)) throw new EngineError('uc-error', `the utility is busy or failing (${errorCode(r)}); will ask again`);
  throw new EngineError('uc-rejected', `the utility refused the token (${errorCode(r)})`);
}

/** `POST /v1/settle`. "already-settled" is a success: the period is settled. */
export async function settlePeriod(route: SocksRoute | null, ucUrl: string, s: SettleRequest): Promise<SettleAnswer> {
  const r = await routeRequest(route, {
    method: 'POST', url: new URL('/v1/settle', ucUrl).href, ...uc,
    body: { meter: s.meter, period: s.period, fault: s.fault, bill: hex(s.R), billSignature: hex(s.sig), combined: hex(s.combined) },
  });
  if (r.status === 200 && isObject(r.body) && r.body.status === 'settled') return { settled: true, answer: 'settled' };
  if (errorCode(r) === 'already-settled') return { settled: true, answer: 'already-settled' };
  if (transient(r)) throw new EngineError('uc-error', `the utility is busy or failing (${errorCode(r)}); will retry`);
  return { settled: false, answer: errorCode(r) };
}
