/**
 * Errors the mint answers with: Cashu's NUT-00 error shape `{ detail, code }` (error_codes.md in cashubtc/nuts).
 *
 * Each code is a NUT error number; `detail` is a short fixed text that never carries secrets, proofs or
 * signatures. Everything a client did wrong is a MintError, answered with HTTP 400.
 * @module
 */

/** The NUT error codes this mint emits (cashubtc/nuts error_codes.md), plus 10000 for a malformed request. */
export const MINT_ERROR_CODES = {
  'bad-request': 10000,
  'proof-invalid': 10001,
  'proofs-spent': 11001,
  'proofs-pending': 11002,
  'outputs-signed': 11003,
  'unbalanced': 11005,
  'amount-out-of-range': 11006,
  'duplicate-inputs': 11007,
  'duplicate-outputs': 11008,
  'multiple-units': 11009,
  'unit-mismatch': 11010,
  'amountless-invoice': 11011,
  'unit-unsupported': 11013,
  'max-inputs': 11014,
  'max-outputs': 11015,
  'keyset-unknown': 12001,
  'keyset-inactive': 12002,
  'quote-unpaid': 20001,
  'quote-issued': 20002,
  'payment-failed': 20004,
  'quote-pending': 20005,
  'invoice-paid': 20006,
  'quote-expired': 20007,
  'quote-signature-invalid': 20008,
  'quote-pubkey-invalid': 20009,
  'quote-unknown': 10000,
  /** Too many unpaid quotes open at once: no NUT code of its own, a malformed-request 10000 with its detail. */
  'quotes-full': 10000,
} as const;

export type MintErrorCode = keyof typeof MINT_ERROR_CODES;

/** A request the mint refuses. `code` names it; `nut` is the number sent on the wire. */
export class MintError extends Error {
  override readonly name = 'MintError';
  readonly nut: number;
  constructor(readonly code: MintErrorCode, detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.nut = MINT_ERROR_CODES[code];
  }
  /** The NUT-00 body. */
  toJSON(): { detail: string; code: number } {
    return { detail: this.message, code: this.nut };
  }
}
