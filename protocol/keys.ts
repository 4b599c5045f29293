/**
 * Keys (protocol.md §Keys): the UC's receipt key a with A1 = a·G1 and A2 = a·G2, and the check every
 * household runs once before pinning them, e(A1, G2) = e(G1, A2) (a mismatched pair would let a UC
 * verify receipts against one key and settle against another).
 * @module
 */
import { nobleBackend, type CurveBackend } from './backend.js';
import { g1ToBytes, g2ToBytes, G1Point, G2Point, scalarFromBytes, Q } from './curve.js';
import { DecodeError } from './errors.js';

export interface ReceiptKey {
  readonly a: bigint;
  readonly A1: Uint8Array;
  readonly A2: Uint8Array;
}

export function receiptKeyFromSecret(a: bigint): ReceiptKey {
  if (typeof a !== 'bigint' || a <= 0n || a >= Q) throw new RangeError('receipt key must be in [1, q)');
  return { a, A1: g1ToBytes(G1Point.BASE.multiply(a)), A2: g2ToBytes(G2Point.BASE.multiply(a)) };
}

/** @throws DecodeError 'bad-length' | 'out-of-range' for a key file that is not a canonical non-zero scalar. */
export const receiptKeyFromBytes = (a: Uint8Array): ReceiptKey => receiptKeyFromSecret(scalarFromBytes(a));

/**
 * Decodes and checks the UC's public receipt key pair.
 * @throws DecodeError (bad encodings) | DecodeError 'key-mismatch' when A1 and A2 are not the same a
 */
export function checkReceiptPublicKey(A1: Uint8Array, A2: Uint8Array, backend: CurveBackend = nobleBackend): void {
  const p1 = backend.g1FromBytes(A1, true);
  const p2 = backend.g2FromBytes(A2);
  // e(A1, G2) · e(−G1, A2) = 1
  const ok = backend.pairingProductIsOne([
    [p1, backend.g2Generator()],
    [backend.g1Neg(backend.g1Generator()), p2],
  ]);
  if (!ok) throw new DecodeError('key-mismatch', 'the receipt public keys A1 and A2 do not match');
}
