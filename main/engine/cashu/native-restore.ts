/**
 * The NUT-09 seed scan's curve work on libsecp256k1 (curve-backends/cashu-secp256k1.ts, as the mint and UC use it):
 * the NUT-13 outputs of a run of counters (hash_to_curve(secret) + r·G) and, for the mint's answer, the NUT-12 DLEQ
 * check on (B_, C_, K) and the unblinding C = C_ − r·K. It gives the records cashu-ts's `restore` + `hasValidDleq`
 * give, 50 to 200 times faster than their JS curve here (docs/performance.md): the check is the same equation, since
 * the reblinded B' and C' of a stored proof are exactly this B_ and C_. The secrets come from cashu-ts's own deriver,
 * so they are the wallet's. The addon is N-API (ABI-stable): the installers ship its prebuilt binary as is, unpacked
 * (electron-builder.yml); where it does not load, `secp256k1AddonOrNull()` is null and the caller keeps cashu-ts's path.
 * @module
 */
import { deriveSecretAndBlindingFactor } from '@cashu/cashu-ts';
import { blindMessage, dleqHolds, unblind, type Secp256k1Addon } from '../../../curve-backends/index.js';
import type { ProofRecord } from '../wallet/index.js';


/** One counter's output: what NUT-09 sends (B_), and what unblinding needs (secret, r). */
export interface RestoreOutput {
  readonly B_: string;
  readonly secret: string;
  readonly r: Uint8Array;
}

export interface RestoreSignature {
  readonly id: string;
  readonly amount: { toString(): string };
  readonly C_: string;
  readonly dleq?: { readonly e: string; readonly s: string };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The outputs of counters start … start + count − 1 of a keyset (NUT-13, cashu-ts's derivation). */
export function restoreOutputs(lib: Secp256k1Addon, seed: Uint8Array, keysetId: string, start: number, count: number): RestoreOutput[] {
  return Array.from({ length: count }, (_, i) => {
    const { secret, blindingFactor: r } = deriveSecretAndBlindingFactor(seed, keysetId, start + i);
    const secretHex = hex(secret);
    return { B_: hex(blindMessage(lib, new TextEncoder().encode(secretHex), r)), secret: secretHex, r };
  });
}

/**
 * The mint's signatures on `outputs` (matched by B_) as wallet records, each checked by its DLEQ proof.
 * @returns null when a signature has no valid DLEQ proof, an unknown amount or a malformed point (the caller refuses).
 */
export function restoredProofs(
  lib: Secp256k1Addon,
  outputs: readonly RestoreOutput[],
  answer: { outputs: readonly { B_: string }[]; signatures: readonly RestoreSignature[] },
  keyset: { readonly id: string; readonly keys: Readonly<Record<string, string>> },
): ProofRecord[] | null {
  const byB = new Map(answer.outputs.map((o, i) => [o.B_, answer.signatures[i]]));
  const out: ProofRecord[] = [];
  for (const o of outputs) {
    const sig = byB.get(o.B_);
    if (!sig) continue;
    const Khex = keyset.keys[sig.amount.toString()];
    if (sig.id !== keyset.id || !Khex || !sig.dleq || !/^[0-9a-f]{64}$/i.test(sig.dleq.e) || !/^[0-9a-f]{64}$/i.test(sig.dleq.s)) return null;
    try {
      const K = Buffer.from(Khex, 'hex');
      const C_ = Buffer.from(sig.C_, 'hex');
      const e = Buffer.from(sig.dleq.e, 'hex');
      const s = Buffer.from(sig.dleq.s, 'hex');
      if (!dleqHolds(lib, Buffer.from(o.B_, 'hex'), C_, K, e, s)) return null;
      const C = unblind(lib, C_, o.r, K);
      out.push({ id: sig.id, amount: Number(sig.amount.toString()), secret: o.secret, C: hex(C), dleq: { e: hex(e), s: hex(s), r: hex(o.r) } });
    } catch {
      return null; // a point off the curve, a scalar out of range, or a sum at infinity
    }
  }
  return out;
}
