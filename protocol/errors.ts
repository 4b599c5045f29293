/**
 * Typed errors for bad data from outside (link bytes, HTTP bodies, files): one class, one code per kind,
 * so callers branch on `code` and never on a message. Messages never carry the offending bytes.
 * @module
 */

export type DecodeErrorCode =
  | 'bad-length'
  | 'bad-hex'
  | 'not-on-curve'
  | 'not-in-subgroup'
  | 'identity'
  | 'non-canonical'
  | 'out-of-range'
  | 'bad-signature'
  | 'bad-domain-tag'
  | 'key-mismatch';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
