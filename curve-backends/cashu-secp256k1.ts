/**
 * The two hashes of Cashu's secp256k1 scheme over libsecp256k1 (the `secp256k1` addon): NUT-00 hash_to_curve and
 * NUT-12 hash_e, shared by the mint and the household's seed scan. The addon is passed in, so that each caller loads
 * it its own way (the mint loudly, the engine with a fallback to cashu-ts's JavaScript).
 * @module
 */
import { createHash } from 'node:crypto';

/** The part of the addon these hashes use. */
export interface Secp256k1Points {
  publicKeyVerify(point: Uint8Array): boolean;
  publicKeyConvert(point: Uint8Array, compressed: boolean): Uint8Array;
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
