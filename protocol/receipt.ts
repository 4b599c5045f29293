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

interface Decoded { i: number; w: unknown; t: unknown }

/** ω with its subgroup check, T on the curve; the indexes of the items that do not decode are bad. */
function decodeItems(items: readonly ReceiptItem[], backend: CurveBackend): { decoded: Decoded[]; bad: number[] } {
  const bad: number[] = [];
  const decoded: Decoded[] = [];
  items.forEach((item, i) => {
    try {
      decoded.push({ i, w: backend.g1FromBytes(item.receipt, true), t: backend.g1FromBytes(item.T, false) });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      bad.push(i);
    }
  });
  return { decoded, bad };
}

/** Σ r_i·ω_i and Σ r_i·T_i, with r_i from 16 random bytes each (`bytes` holds the part's, in order), odd so never 0. */
function sums(part: readonly Decoded[], bytes: Uint8Array, backend: CurveBackend): [W: unknown, T: unknown] {
  const r = part.map((_, j) => bytesToBigInt(bytes.subarray(16 * j, 16 * j + 16)) | 1n);
  return [backend.g1Msm(part.map((d) => d.w), r), backend.g1Msm(part.map((d) => d.t), r)];
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
  const { decoded, bad } = decodeItems(items, backend);
  const check = (part: typeof decoded): boolean => {
    if (part.length === 1) return pairsMatch(backend, part[0]!.w, part[0]!.t, key);
    // One call: a CSPRNG call per receipt costs more than its bytes.
    const [W, T] = sums(part, randomBytes(16 * part.length), backend);
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

/** A chunk's share of a batch check: its undecodable items (chunk indexes), and its two sums encoded (null if none decodes). */
export interface ReceiptChunkSums {
  bad: number[];
  W: Uint8Array | null;
  T: Uint8Array | null;
}

/**
 * The per-receipt part of verifyReceiptsBatch for one chunk of a batch, so that chunks can be summed apart (worker
 * threads, curve-backends/): every ω decoded with its subgroup check, every T on the curve, Σ r_i·ω_i and Σ r_i·T_i.
 * @param coefficientBytes - 16 random bytes per item, in order (the caller's one CSPRNG draw for the whole batch).
 */
export function receiptChunkSums(items: readonly ReceiptItem[], coefficientBytes: Uint8Array, backend: CurveBackend = nobleBackend): ReceiptChunkSums {
  const { decoded, bad } = decodeItems(items, backend);
  if (decoded.length === 0) return { bad, W: null, T: null };
  // Each decoded item keeps the coefficient of its place in the chunk.
  const bytes = new Uint8Array(16 * decoded.length);
  decoded.forEach((d, j) => bytes.set(coefficientBytes.subarray(16 * d.i, 16 * d.i + 16), 16 * j));
  const [W, T] = sums(decoded, bytes, backend);
  return { bad, W: backend.g1ToBytes(W), T: backend.g1ToBytes(T) };
}

/**
 * The pairing check of a batch from its chunks' sums (receiptChunkSums): e(Σ W_c, G2) = e(Σ T_c, A2). False also when
 * a sum does not decode (the identity: only with negligible probability for random coefficients); the caller then
 * checks the batch in one piece, whose bisection names the bad receipts.
 * @throws DecodeError when A2 does not decode.
 */
export function receiptChunksMatch(A2: Uint8Array, chunks: readonly ReceiptChunkSums[], backend: CurveBackend = nobleBackend): boolean {
  const key = backend.g2FromBytes(A2);
  const present = chunks.filter((c) => c.W !== null && c.T !== null);
  if (present.length === 0) return true;
  try {
    const W = backend.g1Sum(present.map((c) => backend.g1FromBytes(c.W!, false)));
    const T = backend.g1Sum(present.map((c) => backend.g1FromBytes(c.T!, false)));
    return pairsMatch(backend, W, T, key);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return false;
  }
}
