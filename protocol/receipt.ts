/**
 * Receipts (protocol.md §Payment): the UC returns ω = a·T for a paid token; the household checks
 * every receipt before the token counts as paid.
 *
 *   single: ω in the prime-order subgroup, then e(ω, G2) = e(T, A2)
 *   batch:  per-receipt subgroup checks, then e(Σ r_i·ω_i, G2) = e(Σ r_i·T_i, A2), r_i random 128-bit;
 *           on failure, bisect to name the bad receipts
 *
 * The subgroup check on ω is privacy-critical: the pairing ignores a small-order component E, so a UC could
 * tag receipts (ω = a·T + E) and read the tags back at settlement from C − a·R_t. T needs only on-curve
 * decoding here: it carries the set's signature and was fully checked when it arrived (verifyToken).
 * @module
 */
import { nobleBackend, type CurveBackend } from './backend.js';
import { bytesToBigInt } from './bytes.js';
import { DecodeError } from './errors.js';
import { tokenMessage } from './messages.js';
import type { Token } from './meter.js';

/** ω = a·T. T was signed by a meter of the set (checked by the caller), so on-curve decoding suffices here. */
export function issueReceipt(a: bigint, T: Uint8Array, backend: CurveBackend = nobleBackend): Uint8Array {
  return backend.g1ToBytes(backend.g1Mul(backend.g1FromBytes(T, false), a));
}

/**
 * The UC's whole step for one payment, in protocol.md's order: σ over the received bytes of T under the
 * set key, then T decoded (canonical, on the curve, not the identity; no subgroup check, see issueReceipt),
 * then ω = a·T. The caller redeems the coin between the checks and the multiplication's use.
 * @throws DecodeError 'bad-signature' or T's decoding code
 */
export function receiptForToken(a: bigint, setPublicKey: Uint8Array, token: Pick<Token, 'set' | 'period' | 'T' | 'sig'>, backend: CurveBackend = nobleBackend): Uint8Array {
  if (!(token.T instanceof Uint8Array) || token.T.length !== 48) throw new DecodeError('bad-length', 'a token point is 48 bytes');
  if (!backend.p256Verify(setPublicKey, tokenMessage(token.set, token.period, token.T), token.sig))
    throw new DecodeError('bad-signature', 'token signature does not verify under the set key');
  return backend.g1ToBytes(backend.g1Mul(backend.g1FromBytes(token.T, false), a));
}

/**
 * @returns whether the pairing equation holds.
 * @throws DecodeError when T, ω or A2 does not decode (including 'not-in-subgroup', 'identity').
 */
export function verifyReceipt(A2: Uint8Array, T: Uint8Array, receipt: Uint8Array, backend: CurveBackend = nobleBackend): boolean {
  const w = backend.g1FromBytes(receipt, true);
  const t = backend.g1FromBytes(T, false);
  return pairsMatch(backend, w, t, backend.g2FromBytes(A2));
}

// e(ω, G2) · e(−T, A2) = 1
function pairsMatch(backend: CurveBackend, w: unknown, t: unknown, A2: unknown): boolean {
  return backend.pairingProductIsOne([
    [w, backend.g2Generator()],
    [backend.g1Neg(t), A2],
  ]);
}

export interface ReceiptItem {
  readonly T: Uint8Array;
  readonly receipt: Uint8Array;
}

/**
 * Batch verification with random linear combination.
 * @param randomBytes - a CSPRNG (protocol/ has no randomness of its own): 16 bytes per coefficient, asked once per check.
 * @returns ok, and the indexes of the bad receipts (undecodable ones included).
 */
export function verifyReceiptsBatch(
  A2: Uint8Array,
  items: readonly ReceiptItem[],
  randomBytes: (n: number) => Uint8Array,
  backend: CurveBackend = nobleBackend,
): { ok: boolean; bad: number[] } {
  const key = backend.g2FromBytes(A2);
  const bad: number[] = [];
  const decoded: { i: number; w: unknown; t: unknown }[] = [];
  items.forEach((item, i) => {
    try {
      decoded.push({ i, w: backend.g1FromBytes(item.receipt, true), t: backend.g1FromBytes(item.T, false) });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      bad.push(i);
    }
  });
  const check = (part: typeof decoded): boolean => {
    if (part.length === 1) return pairsMatch(backend, part[0]!.w, part[0]!.t, key);
    const bytes = randomBytes(16 * part.length); // one call: a CSPRNG call per receipt costs more than its bytes
    const r = part.map((_, j) => bytesToBigInt(bytes.subarray(16 * j, 16 * j + 16)) | 1n); // odd, so never 0
    const W = backend.g1Msm(part.map((d) => d.w), r);
    const T = backend.g1Msm(part.map((d) => d.t), r);
    return pairsMatch(backend, W, T, key);
  };
  const bisect = (part: typeof decoded): void => {
    if (part.length === 0 || check(part)) return;
    if (part.length === 1) {
      bad.push(part[0]!.i);
      return;
    }
    const mid = part.length >> 1;
    bisect(part.slice(0, mid));
    bisect(part.slice(mid));
  };
  bisect(decoded);
  bad.sort((x, y) => x - y);
  return { ok: bad.length === 0, bad };
}
