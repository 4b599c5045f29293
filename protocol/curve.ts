/**
 * BLS12-381 (noble-curves) and the strict point and scalar encodings of protocol.md §Notation:
 * G1 48-byte and G2 96-byte compressed (ZCash/IETF flags), scalars 32-byte big-endian < q.
 *
 * Decoding never reduces or repairs: a wrong length, a non-canonical x, a point off the curve,
 * outside the prime-order subgroup, or the identity each get their own DecodeError code.
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bigIntToBytes, bytesToBigInt } from './bytes.js';
import { DecodeError } from './errors.js';

export const bls = bls12_381;
export const G1Point = bls12_381.G1.Point;
export const G2Point = bls12_381.G2.Point;
export type G1 = InstanceType<typeof G1Point>;
export type G2 = InstanceType<typeof G2Point>;

const { Fp, Fr } = bls12_381.fields;
/** Order q of G1, G2 and the scalar field Fr. */
export const Q = Fr.ORDER;
const P = Fp.ORDER;

export const G1_BYTES = 48;
export const G2_BYTES = 96;
export const SCALAR_BYTES = 32;

// ZCash serialisation flags, most significant bits of the first byte.
const FLAG_COMPRESSED = 0x80;
const FLAG_INFINITY = 0x40;
const FLAG_SIGN = 0x20;

/** k·G1 with k reduced mod q; 0 gives the identity (tests and generators). */
export const g1 = (k: bigint): G1 => {
  const r = Fr.create(k);
  return r === 0n ? G1Point.ZERO : G1Point.BASE.multiply(r);
};

export interface PointDecodeOptions {
  /** Skip the subgroup check (protocol.md §Payment: the UC may, for set-signed tokens). Default false. */
  skipSubgroupCheck?: boolean;
  /** Accept the identity (only internal sums may be the identity). Default false. */
  allowIdentity?: boolean;
}

// p as 48 big-endian bytes, so x < p is a byte comparison (no bigint on the hot path of every backend).
const P_BYTES = bigIntToBytes(P, G1_BYTES);

/**
 * The checks of a compressed G1 encoding that come before any curve arithmetic, shared by every backend so
 * each kind of bad bytes gets the same DecodeError code whatever backend decodes it.
 * @returns 'identity' for a well-formed identity encoding when allowed, else 'point' (x < p, on-curve unchecked).
 * @throws DecodeError 'bad-length' | 'non-canonical' | 'identity'
 */
export function g1EncodingCheck(bytes: Uint8Array, allowIdentity = false): 'identity' | 'point' {
  if (!(bytes instanceof Uint8Array) || bytes.length !== G1_BYTES)
    throw new DecodeError('bad-length', `a G1 point is ${G1_BYTES} bytes`);
  const flags = bytes[0]! & 0xe0;
  if (!(flags & FLAG_COMPRESSED)) throw new DecodeError('non-canonical', 'G1 point is not in compressed form');
  if (flags & FLAG_INFINITY) {
    if (flags & FLAG_SIGN || (bytes[0]! & 0x1f) !== 0 || bytes.subarray(1).some((b) => b !== 0))
      throw new DecodeError('non-canonical', 'malformed identity encoding');
    if (!allowIdentity) throw new DecodeError('identity', 'the identity is not a valid point here');
    return 'identity';
  }
  for (let i = 0; i < G1_BYTES; i++) {
    const b = i === 0 ? bytes[0]! & 0x1f : bytes[i]!;
    if (b !== P_BYTES[i]) {
      if (b > P_BYTES[i]!) break;
      return 'point';
    }
  }
  throw new DecodeError('non-canonical', 'G1 x-coordinate is not below p');
}

/**
 * The checks of a compressed G2 encoding before any arithmetic (G2 points are only keys: never the identity).
 * @throws DecodeError 'bad-length' | 'non-canonical' | 'identity'
 */
export function g2EncodingCheck(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== G2_BYTES)
    throw new DecodeError('bad-length', `a G2 point is ${G2_BYTES} bytes`);
  if (!(bytes[0]! & FLAG_COMPRESSED)) throw new DecodeError('non-canonical', 'G2 point is not in compressed form');
  if (bytes[0]! & FLAG_INFINITY) throw new DecodeError('identity', 'the identity is not a valid key');
}

/**
 * Decodes a compressed G1 point, strictly.
 * @throws DecodeError 'bad-length' | 'non-canonical' | 'identity' | 'not-on-curve' | 'not-in-subgroup'
 */
export function g1FromBytes(bytes: Uint8Array, opts: PointDecodeOptions = {}): G1 {
  if (g1EncodingCheck(bytes, opts.allowIdentity) === 'identity') return G1Point.ZERO;
  const flags = bytes[0]! & 0xe0;
  const body = bytes.slice();
  body[0] = body[0]! & 0x1f;
  const x = bytesToBigInt(body);
  const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n); // y² = x³ + 4
  let y: bigint;
  try {
    y = Fp.sqrt(rhs);
  } catch {
    throw new DecodeError('not-on-curve', 'G1 x-coordinate has no point on the curve');
  }
  if (Boolean(flags & FLAG_SIGN) !== y > (P - 1n) / 2n) y = Fp.neg(y);
  const point = G1Point.fromAffine({ x, y });
  if (!opts.skipSubgroupCheck && !point.isTorsionFree())
    throw new DecodeError('not-in-subgroup', 'G1 point is outside the prime-order subgroup');
  return point;
}

/** Compressed encoding; the identity encodes as 0xc0 followed by zeros. */
export function g1ToBytes(point: G1): Uint8Array {
  if (point.is0()) {
    const out = new Uint8Array(G1_BYTES);
    out[0] = FLAG_COMPRESSED | FLAG_INFINITY;
    return out;
  }
  const { x, y } = point.toAffine();
  const out = bigIntToBytes(x, G1_BYTES);
  out[0] = out[0]! | FLAG_COMPRESSED | (y > (P - 1n) / 2n ? FLAG_SIGN : 0);
  return out;
}

/**
 * Decodes a compressed G2 point (only public keys travel in G2), with every check.
 * @throws DecodeError 'bad-length' | 'identity' | 'not-on-curve' | 'not-in-subgroup' | 'non-canonical'
 */
export function g2FromBytes(bytes: Uint8Array): G2 {
  g2EncodingCheck(bytes);
  let point: G2;
  try {
    point = G2Point.fromBytes(bytes);
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : '';
    if (/subgroup/i.test(msg)) throw new DecodeError('not-in-subgroup', 'G2 point is outside the prime-order subgroup', { cause });
    if (/range|canonical|invalid field/i.test(msg)) throw new DecodeError('non-canonical', 'G2 coordinate is not canonical', { cause });
    throw new DecodeError('not-on-curve', 'G2 bytes are not a point on the curve', { cause });
  }
  if (point.is0()) throw new DecodeError('identity', 'the identity is not a valid key');
  return point;
}

export const g2ToBytes = (point: G2): Uint8Array => point.toBytes(true);

/**
 * Scalars decode strictly (protocol.md §Scalars and points on the wire): 32 bytes, big-endian, < q.
 * @throws DecodeError 'bad-length' | 'out-of-range'
 */
export function scalarFromBytes(bytes: Uint8Array, { allowZero = false } = {}): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES)
    throw new DecodeError('bad-length', `a scalar is ${SCALAR_BYTES} bytes`);
  const k = bytesToBigInt(bytes);
  if (k >= Q) throw new DecodeError('out-of-range', 'scalar is not below the group order');
  if (k === 0n && !allowZero) throw new DecodeError('out-of-range', 'scalar is zero');
  return k;
}

export function scalarToBytes(k: bigint): Uint8Array {
  if (k < 0n || k >= Q) throw new RangeError('scalar must be in [0, q)');
  return bigIntToBytes(k, SCALAR_BYTES);
}

export const modQ = (k: bigint): bigint => Fr.create(k);
