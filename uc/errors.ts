/**
 * The UC's one error type for bad input from outside (style.md §Error types): every malformed or refused request
 * becomes a 4xx `{error: code, message}`; a failing dependency (mint, database) becomes a 5xx without internals.
 * Messages never carry token bytes, receipts, coins or combined receipts.
 * @module
 */

/** Every error code the UC's HTTP APIs answer with (docs/http-api.md §Errors). */
export type HttpErrorCode =
  | 'bad-request' // schema violation, garbage JSON, wrong types
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'not-found'
  | 'unauthorized' // admin API: missing or wrong bearer token
  | 'unknown-set'
  | 'unknown-meter'
  | 'period-not-open'
  | 'bad-token' // token point or set signature invalid
  | 'bad-coin' // not a cashuB token of exactly one proof of amount 1 in the UC's mint and unit
  | 'coin-rejected' // the mint refused the coin (spent, forged)
  | 'payment-in-progress' // the same token is being paid by a concurrent request; retry
  | 'not-paid' // /v1/receipt: the token has no receipt (not paid, or its payment is still under way)
  | 'bad-bill' // bill point or bill signature invalid
  | 'settlement-mismatch' // combined receipt C ≠ a·R_t
  | 'already-settled'
  | 'conflict' // admin: a registration that contradicts an existing one
  | 'period-not-closed' // admin: paid tokens are dropped only from a closed period
  | 'rate-limited' // 429: too many requests on this route, token or set; retry after the Retry-After header's seconds
  | 'mint-unavailable'
  | 'ledger-unavailable' // the database is restarting or failing over; retry after Retry-After seconds
  | 'internal';

/** An error with the HTTP status and code it is answered with. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: HttpErrorCode,
    message: string,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(message, options);
    this.retryAfterS = options?.retryAfterS;
  }
  /** Sent as the Retry-After header (whole seconds): when a retry of the same request may succeed. */
  readonly retryAfterS: number | undefined;
}

/** A 429 with its Retry-After: the client waits that long, then sends the same request again. */
export const rateLimited = (message: string, retryAfterMs: number) =>
  new HttpError(429, 'rate-limited', message, { retryAfterS: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

export const badRequest = (message: string, cause?: unknown) => new HttpError(400, 'bad-request', message, { cause });
