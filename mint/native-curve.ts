/**
 * The mint's secp256k1 work on libsecp256k1, through the `secp256k1` package's N-API addon (the fastest of the
 * bindings measured on Node 20, `bench/secp256k1.json`): NUT-00 hash_to_curve, C_ = k·B_ and the input checks
 * C == k·Y, and NUT-12 DLEQ proofs. Points stay 33-byte compressed SEC1 encodings from the wire to the database;
 * nothing here goes through JS big-number arithmetic.
 *
 * Products by a secret key are constant time (curve-backends/cashu-secp256k1.ts, `multiplySecret`).
 * @module
 */
import { createHmac } from 'node:crypto';
import { hashE as hashEWith, hashToCurve as hashToCurveWith, multiplySecret, secp256k1Addon } from '../curve-backends/index.js';

// Loaded loudly: a mint without its binary does not start (`npm ci` builds or finds it: `secp256k1` in package.json's
// allowScripts).
const lib = secp256k1Addon();

/** A curve point as NUT-00 puts it on the wire: 33-byte compressed SEC1. */
export type PointBytes = Uint8Array;

/** NUT-00 hash_to_curve on this addon (curve-backends/cashu-secp256k1.ts). */
export const hashToCurve = (message: Uint8Array): PointBytes => hashToCurveWith(lib, message);

/** The point of a compressed hex encoding, or null when it is not one (uncompressed and identity included). */
export function parsePoint(hex: string): PointBytes | null {
  if (!/^0[23][0-9a-fA-F]{64}$/.test(hex)) return null;
  const P = Buffer.from(hex, 'hex');
  return lib.publicKeyVerify(P) ? P : null;
}

/** NUT-12 hash_e on this addon. */
export const hashE = (points: readonly PointBytes[]): Buffer => hashEWith(lib, points);

/** C_ with its NUT-12 proof that log_G(K) = log_B_(C_). */
export interface BlindSignature {
  C_: PointBytes;
  e: Buffer;
  s: Buffer;
}

/** One of the mint's private keys k, with its public key K = k·G. */
export class SecretKey {
  readonly publicKey: PointBytes;

  constructor(private readonly k: Uint8Array) {
    if (!lib.privateKeyVerify(k)) throw new RangeError('secret key must be a scalar in [1, n)');
    this.publicKey = lib.publicKeyCreate(k, true);
  }

  /** k·P in constant time (P from `parsePoint` or `hashToCurve`). */
  multiply(P: PointBytes): PointBytes {
    return multiplySecret(lib, P, this.k);
  }

  /** C == k·Y: the NUT-00 check of one proof, Y = hash_to_curve(secret). */
  verify(Y: PointBytes, C: PointBytes): boolean {
    return Buffer.from(this.multiply(Y)).equals(C);
  }

  /**
   * C_ = k·B_ and the DLEQ proof of NUT-12 with its deterministic nonce r = HMAC-SHA256(k, "Cashu_DLEQ_R_v1" ‖
   * K ‖ B_ ‖ C_ ‖ ctr) (65-byte encodings, ctr = 0, 1, … until 0 < r < n): R1 = r·G, R2 = r·B_,
   * e = hash_e(R1, R2, K, C_), s = r + e·k mod n.
   */
  sign(B_: PointBytes): BlindSignature {
    const C_ = this.multiply(B_);
    const prefix = [Buffer.from('Cashu_DLEQ_R_v1'), ...[this.publicKey, B_, C_].map((P) => lib.publicKeyConvert(P, false))];
    for (let ctr = 0; ctr < 256; ctr++) {
      const r = createHmac('sha256', this.k).update(Buffer.concat([...prefix, Buffer.from([ctr])])).digest();
      if (!lib.privateKeyVerify(r)) continue;
      const nonce = new SecretKey(r);
      const e = hashE([nonce.publicKey, nonce.multiply(B_), this.publicKey, C_]);
      // e·k then + r, as libsecp256k1 scalars (constant time). Either step fails only for e ≥ n or e·k = −r,
      // chances of about 2⁻¹²⁸: such a nonce is skipped like r ≥ n.
      try {
        const s = lib.privateKeyTweakAdd(lib.privateKeyTweakMul(Uint8Array.from(this.k), e), r);
        return { C_, e, s: Buffer.from(s) };
      } catch {
        continue;
      }
    }
    throw new Error('DLEQ: no usable nonce');
  }
}

