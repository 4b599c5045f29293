/**
 * Checking what the meter signed: a token under the set key tpk_S, a bill under the meter's bill key
 * bpk_ID. The signature covers the full canonical bytes (the reference code's truncation at the first zero
 * byte is the defect this avoids), and every failed check stops the operation with a DecodeError.
 * Keys are checked once where they are registered or pinned (p256PublicKeyCheck); a malformed key here
 * simply verifies nothing.
 * @module
 */
import { nobleBackend, type CurveBackend } from './backend.js';
import { DecodeError } from './errors.js';
import { billMessage, tokenMessage } from './messages.js';
import type { Bill, Token } from './meter.js';

export interface VerifyTokenOptions {
  /** The UC may skip it: only set-key holders sign T and they sign only multiples of G1 (protocol.md §Payment). */
  skipSubgroupCheck?: boolean;
}

/**
 * Signature first, over the bytes as received; then T must decode (canonical, on curve, not the identity,
 * and in the subgroup unless skipped).
 * @throws DecodeError 'bad-signature' or the point's decoding code
 */
export function verifyToken(
  setPublicKey: Uint8Array,
  token: Pick<Token, 'set' | 'period' | 'T' | 'sig'>,
  backend: CurveBackend = nobleBackend,
  opts: VerifyTokenOptions = {},
): void {
  if (!(token.T instanceof Uint8Array) || token.T.length !== 48) throw new DecodeError('bad-length', 'a token point is 48 bytes');
  if (!backend.p256Verify(setPublicKey, tokenMessage(token.set, token.period, token.T), token.sig))
    throw new DecodeError('bad-signature', 'token signature does not verify under the set key');
  backend.g1FromBytes(token.T, !opts.skipSubgroupCheck);
}

/** @throws DecodeError 'bad-signature' or R_t's decoding code */
export function verifyBill(billPublicKey: Uint8Array, bill: Bill, backend: CurveBackend = nobleBackend): void {
  if (!(bill.R instanceof Uint8Array) || bill.R.length !== 48) throw new DecodeError('bad-length', 'a bill point is 48 bytes');
  if (!backend.p256Verify(billPublicKey, billMessage(bill.meter, bill.period, bill.fault, bill.R), bill.sig))
    throw new DecodeError('bad-signature', 'bill signature does not verify under the meter key');
  backend.g1FromBytes(bill.R, true);
}
