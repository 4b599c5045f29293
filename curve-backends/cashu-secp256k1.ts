/**
 * Cashu's secp256k1 scheme over libsecp256k1 (the `secp256k1` package's N-API addon), one copy for the mint, the UC's
 * swap outputs and the household's seed scan: the addon's loader, NUT-00 hash_to_curve, blinding B_ = Y + r·G and
 * unblinding C = C_ − r·K, and NUT-12 hash_e and the wallet's DLEQ check. Functions take the addon as an argument so
 * that each caller decides what a missing binary means (the mint fails, the engine and UC fall back to cashu-ts's JS).
 *
 * Products by a secret scalar (the mint's k, a wallet's r) use `secp256k1_ecdh` (constant-time `ecmult_const`) with
 * a hash function that returns the point itself: the addon's `publicKeyTweakMul` runs the variable-time `ecmult`,
 * which would leak the scalar through timing. It is used only with public scalars (the DLEQ check's e and s).
 * r·G uses `ecmult_gen`, blinded by `contextRandomize` at load.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

/** The part of the addon the two hashes use. */
export interface Secp256k1Points {
  publicKeyVerify(point: Uint8Array): boolean;
  publicKeyConvert(point: Uint8Array, compressed: boolean): Uint8Array;
}

/** The addon's functions used here and by the mint (secp256k1's lib/index.js over its native binding). */
export interface Secp256k1Addon extends Secp256k1Points {
  contextRandomize(seed: Uint8Array): void;
  privateKeyVerify(k: Uint8Array): boolean;
  privateKeyTweakAdd(k: Uint8Array, tweak: Uint8Array): Uint8Array;
  privateKeyTweakMul(k: Uint8Array, tweak: Uint8Array): Uint8Array;
  publicKeyCreate(k: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyNegate(P: Uint8Array, compressed?: boolean): Uint8Array;
  publicKeyCombine(Ps: Uint8Array[], compressed?: boolean): Uint8Array;
  publicKeyTweakMul(P: Uint8Array, k: Uint8Array, compressed?: boolean): Uint8Array;
  ecdh(P: Uint8Array, k: Uint8Array, options: { hashfn: (x: Uint8Array, y: Uint8Array) => Uint8Array }, output: Uint8Array): Uint8Array;
}

let addon: Secp256k1Addon | Error | undefined;

/**
 * The addon, loaded once with its context randomized.
 * @throws the load error where it has no binary for this platform (the package's main entry would fall back to its
 *   own JS instead, slower than cashu-ts's, so it is not used)
 */
export function secp256k1Addon(): Secp256k1Addon {
  if (addon === undefined) {
    try {
      const lib = createRequire(import.meta.url)('secp256k1/bindings') as Secp256k1Addon;
      lib.contextRandomize(randomBytes(32));
      addon = lib;
    } catch (err) {
      addon = err instanceof Error ? err : new Error(String(err));
    }
  }
  if (addon instanceof Error) throw addon;
  return addon;
}

/** The addon, or null where it has no binary for this platform (the engine and the UC then keep cashu-ts's JS path). */
export function secp256k1AddonOrNull(): Secp256k1Addon | null {
  try {
    return secp256k1Addon();
  } catch {
    return null;
  }
}

const DOMAIN_SEPARATOR = Buffer.from('Secp256k1_HashToCurve_Cashu_');

/** NUT-00 hash_to_curve: the first x = SHA-256(SHA-256(domain ‖ message) ‖ counter_le32) with 02 ‖ x on the curve. */
export function hashToCurve(lib: Secp256k1Points, message: Uint8Array): Uint8Array {
  const msgHash = createHash('sha256').update(DOMAIN_SEPARATOR).update(message).digest();
  const counter = Buffer.alloc(4);
  const candidate = Buffer.alloc(33);
  candidate[0] = 2;
  for (let i = 0; i < 2 ** 16; i++) {
    counter.writeUInt32LE(i);
    createHash('sha256').update(msgHash).update(counter).digest().copy(candidate, 1);
    if (lib.publicKeyVerify(candidate)) return candidate;
  }
  throw new Error('hash_to_curve: no valid point found');
}

/** NUT-12 hash_e: SHA-256 over the ASCII hex of the points' uncompressed encodings, concatenated. */
export function hashE(lib: Secp256k1Points, points: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const P of points) hash.update(Buffer.from(lib.publicKeyConvert(P, false)).toString('hex'));
  return hash.digest();
}

/** ECDH "hash" that hands back the shared point itself, compressed. */
function samePoint(x: Uint8Array, y: Uint8Array): Uint8Array {
  const P = new Uint8Array(33);
  P[0] = 2 | (y[31]! & 1);
  P.set(x, 1);
  return P;
}

/** k·P in constant time, compressed (k a secret scalar in [1, n)). */
export function multiplySecret(lib: Secp256k1Addon, P: Uint8Array, k: Uint8Array): Buffer {
  return lib.ecdh(P, k, { hashfn: samePoint }, Buffer.alloc(33)) as Buffer;
}

/** NUT-00 blinding: B_ = hash_to_curve(secret) + r·G, compressed. */
export function blindMessage(lib: Secp256k1Addon, secret: Uint8Array, r: Uint8Array): Uint8Array {
  return lib.publicKeyCombine([hashToCurve(lib, secret), lib.publicKeyCreate(r)]);
}

/** NUT-00 unblinding: C = C_ − r·K, compressed. @throws on a point off the curve or a sum at infinity */
export function unblind(lib: Secp256k1Addon, C_: Uint8Array, r: Uint8Array, K: Uint8Array): Uint8Array {
  return lib.publicKeyCombine([C_, lib.publicKeyNegate(multiplySecret(lib, K, r))]);
}

/**
 * NUT-12, the wallet's check of a blind signature: e == hash_e(s·G − e·K, s·B_ − e·C_, K, C_).
 * @throws on a point off the curve or a scalar out of range (the caller refuses the signature)
 */
export function dleqHolds(lib: Secp256k1Addon, B_: Uint8Array, C_: Uint8Array, K: Uint8Array, e: Uint8Array, s: Uint8Array): boolean {
  const R1 = lib.publicKeyCombine([lib.publicKeyCreate(s), lib.publicKeyNegate(lib.publicKeyTweakMul(K, e))]);
  const R2 = lib.publicKeyCombine([lib.publicKeyTweakMul(B_, s), lib.publicKeyNegate(lib.publicKeyTweakMul(C_, e))]);
  return hashE(lib, [R1, R2, K, C_]).equals(e);
}
