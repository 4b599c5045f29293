/**
 * Settlement (protocol.md §Settlement): the combined receipt C and the UC's check.
 *
 *   C = Σ_i ω_i − ρ_t·A1     household side: K additions, one scalar multiplication
 *   accept iff C = a·R_t     UC side, secret-key form (public form: e(C, G2) = e(R_t, A2))
 *
 * Constant time and size whatever K is. Never log ω_i, ρ_t or K: together they reveal the bill.
 * @module
 */
import { nobleBackend, type CurveBackend } from './backend.js';
import { modQ } from './curve.js';

/**
 * @param receipts - receipts already verified on arrival (verifyReceipt / verifyReceiptsBatch), so only
 *   on-curve decoding is repeated here; K = 0 gives C = −ρ_t·A1.
 */
export function combineReceipts(receipts: readonly Uint8Array[], mask: bigint, A1: Uint8Array, backend: CurveBackend = nobleBackend): Uint8Array {
  const sum = backend.g1Sum(receipts.map((w) => backend.g1FromBytes(w, false)));
  const masked = backend.g1Mul(backend.g1FromBytes(A1, true), modQ(-mask));
  return backend.g1ToBytes(backend.g1Add(sum, masked));
}

/** The UC's check with its secret a. R_t and C must decode as subgroup points (never the identity). */
export function verifySettlement(a: bigint, R: Uint8Array, C: Uint8Array, backend: CurveBackend = nobleBackend): boolean {
  const r = backend.g1FromBytes(R, true);
  const c = backend.g1FromBytes(C, true);
  return backend.g1Equals(backend.g1Mul(r, a), c);
}

/** Anyone's check with the public A2: e(C, G2) · e(−R_t, A2) = 1. */
export function verifySettlementPublic(A2: Uint8Array, R: Uint8Array, C: Uint8Array, backend: CurveBackend = nobleBackend): boolean {
  const r = backend.g1FromBytes(R, true);
  const c = backend.g1FromBytes(C, true);
  return backend.pairingProductIsOne([
    [c, backend.g2Generator()],
    [backend.g1Neg(r), backend.g2FromBytes(A2)],
  ]);
}
