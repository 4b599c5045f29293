/**
 * secp256k1 work done by Node's native OpenSSL (node:crypto) instead of noble: hash_to_curve's square root
 * (`ECDH.convertKey` decompresses a point or throws if it is not on the curve) and the mint's secret-key
 * multiplications k·P, which `ECDH.computeSecret` does in constant time but returns as the x-coordinate only.
 * @module
 */
import { createECDH, createHash, ECDH } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';

type Point = WeierstrassPoint<bigint>;

const DOMAIN_SEPARATOR = Buffer.from('Secp256k1_HashToCurve_Cashu_');

/** NUT-00 hash_to_curve, the same point as cashu-ts's `hashToCurve`, with the square root in native code. */
export function hashToCurveNative(message: Uint8Array): Point {
  const msgHash = createHash('sha256').update(DOMAIN_SEPARATOR).update(message).digest();
  const counter = Buffer.alloc(4);
  const candidate = Buffer.alloc(33);
  candidate[0] = 2;
  for (let i = 0; i < 2 ** 16; i++) {
    counter.writeUInt32LE(i);
    createHash('sha256').update(msgHash).update(counter).digest().copy(candidate, 1);
    let full: Buffer;
    try {
      full = ECDH.convertKey(candidate, 'secp256k1', undefined, undefined, 'uncompressed') as Buffer;
    } catch {
      continue;
    }
    return secp256k1.Point.fromBytes(full);
  }
  throw new Error('hash_to_curve: no valid point found');
}

/** Constant-time multiplications by one private key k, each giving x(k·P) only (32 bytes). */
export class NativeKey {
  private readonly ecdh = createECDH('secp256k1');
  /** K = k·G. */
  readonly publicPoint: Point;

  constructor(privateKey: Uint8Array) {
    this.ecdh.setPrivateKey(privateKey);
    this.publicPoint = secp256k1.Point.fromBytes(this.ecdh.getPublicKey());
  }

  /** x(k·P); null when P is the point at infinity. */
  x(P: Point): Buffer | null {
    if (P.is0()) return null;
    return this.ecdh.computeSecret(P.toBytes(false));
  }

  /**
   * The whole point k·P from two x-only products: x(k·P) gives ±k·P, and x(k·(P+G)) = x(k·P + K) tells which.
   * (−k·P + K has the same x as k·P + K only if 2k·P = 0 or 2K = 0, impossible in a group of odd prime order.)
   */
  multiply(P: Point): Point {
    const x = this.x(P);
    if (x === null) return secp256k1.Point.ZERO;
    const plus = secp256k1.Point.fromBytes(Buffer.concat([Buffer.from([2]), x]));
    const xs = this.x(P.add(secp256k1.Point.BASE));
    return xs !== null && sameX(plus.add(this.publicPoint), xs) ? plus : plus.negate();
  }

  /**
   * k·Y_i == C_i for every i. Each x(k·Y_i) == x(C_i) (one native product per proof) leaves C_i = ±k·Y_i; the
   * signs are pinned together by x(k·(ΣY_i + G)) == x(ΣC_i + K). For one proof that is exact (see `multiply`).
   * For several, a set of negated C_i passes only if the hash_to_curve points Y_i of a subset sum to zero or
   * ΣY over a subset equals −G (a discrete-log relation between hash outputs and G); and −k·Y is worth nothing
   * to anyone who does not already hold k·Y.
   */
  verify(pairs: readonly { Y: Point; C: Point }[]): boolean {
    if (pairs.length === 0) return true;
    let sumY = secp256k1.Point.BASE;
    let sumC = this.publicPoint;
    for (const { Y, C } of pairs) {
      const x = this.x(Y);
      if (x === null || C.is0() || !sameX(C, x)) return false;
      sumY = sumY.add(Y);
      sumC = sumC.add(C);
    }
    if (sumY.is0()) return sumC.is0();
    const xs = this.x(sumY);
    return xs !== null && !sumC.is0() && sameX(sumC, xs);
  }
}

function sameX(P: Point, x: Buffer): boolean {
  return Buffer.from(P.toBytes(true).subarray(1)).equals(x);
}
