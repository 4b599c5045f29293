/**
 * CurveBackend: the handful of operations the hot paths need (issue 2), so a faster implementation
 * (native blst with node:crypto; see curve-backends/) can replace noble per process. Points are
 * opaque values of the backend that made them. Every backend passes the same vector and property tests.
 *
 * This file also holds the reference backend on noble-curves, which the committed vectors are checked against.
 * @module
 */
import { pippenger } from '@noble/curves/abstract/curve.js';
import { p256 } from '@noble/curves/nist.js';
import { bytesToBigInt } from './bytes.js';
import { bls, G1Point, G2Point, g1FromBytes, g1ToBytes, g2FromBytes, modQ, type G1, type G2 } from './curve.js';
import { DecodeError } from './errors.js';

export const SIG_BYTES = 64;
export const P256_PUBLIC_BYTES = 33;
const N = p256.Point.Fn.ORDER;

export interface CurveBackend {
  readonly name: string;
  /** Strict decode (curve.ts rules); `subgroup: false` only where protocol.md allows it. */
  g1FromBytes(bytes: Uint8Array, subgroup: boolean): unknown;
  g1ToBytes(p: unknown): Uint8Array;
  g1Generator(): unknown;
  g1Mul(p: unknown, k: bigint): unknown;
  g1Add(a: unknown, b: unknown): unknown;
  g1Neg(p: unknown): unknown;
  g1Sum(ps: readonly unknown[]): unknown;
  /** Σ k_i·P_i (multi-scalar multiplication, batch verification). */
  g1Msm(ps: readonly unknown[], ks: readonly bigint[]): unknown;
  g1Equals(a: unknown, b: unknown): boolean;
  g1IsIdentity(p: unknown): boolean;
  g2FromBytes(bytes: Uint8Array): unknown;
  g2Generator(): unknown;
  /** Π e(P_i, Q_i) == 1 in GT. */
  pairingProductIsOne(pairs: readonly (readonly [unknown, unknown])[]): boolean;
  /** ECDSA P-256 over SHA-256, 64-byte r||s, low-S (non-malleable); false on any malformed input. */
  p256Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean;
  p256Sign(secretKey: Uint8Array, msg: Uint8Array): Uint8Array;
}

/** r and s in range and s ≤ n/2: the one canonical form of a signature, checked before any backend. */
export function isCanonicalP256Signature(sig: Uint8Array): boolean {
  if (!(sig instanceof Uint8Array) || sig.length !== SIG_BYTES) return false;
  const r = bytesToBigInt(sig.subarray(0, 32));
  const s = bytesToBigInt(sig.subarray(32));
  return r > 0n && r < N && s > 0n && s <= N >> 1n;
}

const g1 = (p: unknown) => p as G1;
const g2 = (p: unknown) => p as G2;

export const nobleBackend: CurveBackend = {
  name: 'noble',
  g1FromBytes: (bytes, subgroup) => g1FromBytes(bytes, { skipSubgroupCheck: !subgroup }),
  g1ToBytes: (p) => g1ToBytes(g1(p)),
  g1Generator: () => G1Point.BASE,
  g1Mul: (p, k) => {
    const r = modQ(k);
    return r === 0n ? G1Point.ZERO : g1(p).multiply(r);
  },
  g1Add: (a, b) => g1(a).add(g1(b)),
  g1Neg: (p) => g1(p).negate(),
  g1Sum: (ps) => ps.reduce<G1>((acc, p) => acc.add(g1(p)), G1Point.ZERO),
  g1Msm: (ps, ks) => pippenger(G1Point, ps.map(g1), ks.map(modQ)),
  g1Equals: (a, b) => g1(a).equals(g1(b)),
  g1IsIdentity: (p) => g1(p).is0(),
  g2FromBytes: (bytes) => g2FromBytes(bytes),
  g2Generator: () => G2Point.BASE,
  pairingProductIsOne: (pairs) => {
    const gt = bls.pairingBatch(pairs.map(([p, q]) => ({ g1: g1(p), g2: g2(q) })));
    return bls.fields.Fp12.eql(gt, bls.fields.Fp12.ONE);
  },
  p256Verify: (publicKey, msg, sig) => {
    if (!isCanonicalP256Signature(sig) || publicKey.length !== P256_PUBLIC_BYTES) return false;
    try {
      return p256.verify(sig, msg, publicKey, { lowS: true, prehash: true, format: 'compact' });
    } catch {
      return false;
    }
  },
  p256Sign: (secretKey, msg) => p256.sign(msg, secretKey, { lowS: true, prehash: true, format: 'compact' }),
};

/** @throws DecodeError 'bad-length' | 'not-on-curve' for a malformed P-256 public key. */
export function p256PublicKeyCheck(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== P256_PUBLIC_BYTES)
    throw new DecodeError('bad-length', `a P-256 public key is ${P256_PUBLIC_BYTES} bytes (compressed)`);
  try {
    p256.Point.fromBytes(publicKey).assertValidity();
  } catch (cause) {
    throw new DecodeError('not-on-curve', 'not a P-256 public key', { cause });
  }
}

/** 33-byte compressed public key of a 32-byte P-256 secret key (set key, bill key). */
export function p256PublicKey(secretKey: Uint8Array): Uint8Array {
  return p256.getPublicKey(secretKey, true);
}

export const isValidP256SecretKey = (secretKey: Uint8Array): boolean => p256.utils.isValidSecretKey(secretKey);
