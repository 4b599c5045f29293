/**
 * ECDSA P-256 through node:crypto (OpenSSL), with the protocol's strict rules kept in front of it:
 * 64-byte r||s, low-S only (OpenSSL accepts high-S), 33-byte compressed keys. KeyObjects are cached,
 * since a UC verifies every token under the same few set keys.
 *
 * OpenSSL's nonces are random, so a token re-emitted through this backend carries a different (equally
 * valid) signature than the first time; noble's RFC 6979 signatures are byte-identical.
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { bytesToHex, isCanonicalP256Signature, p256PublicKey, P256_PUBLIC_BYTES } from '../protocol/index.js';

// SubjectPublicKeyInfo header for id-ecPublicKey / prime256v1 with a 33-byte compressed point.
const SPKI_PREFIX = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const CACHE_LIMIT = 1024;

const publicKeys = new Map<string, KeyObject | null>();
const privateKeys = new Map<string, KeyObject>();

function remember<V>(cache: Map<string, V>, k: string, v: V): V {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(k, v);
  return v;
}

function publicKeyObject(publicKey: Uint8Array): KeyObject | null {
  const k = bytesToHex(publicKey);
  const hit = publicKeys.get(k);
  if (hit !== undefined) return hit;
  let key: KeyObject | null = null;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  } catch {
    key = null; // not a point on P-256: every signature under it is invalid
  }
  return remember(publicKeys, k, key);
}

function privateKeyObject(secretKey: Uint8Array): KeyObject {
  const k = bytesToHex(secretKey);
  const hit = privateKeys.get(k);
  if (hit) return hit;
  const pub = publicKeyObject(p256PublicKey(secretKey));
  const jwk = pub!.export({ format: 'jwk' });
  const key = createPrivateKey({ key: { ...jwk, d: Buffer.from(secretKey).toString('base64url') }, format: 'jwk' });
  return remember(privateKeys, k, key);
}

export function nodeP256Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (publicKey.length !== P256_PUBLIC_BYTES || !isCanonicalP256Signature(sig)) return false;
  const key = publicKeyObject(publicKey);
  return key !== null && verify('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }, sig);
}

export function nodeP256Sign(secretKey: Uint8Array, msg: Uint8Array): Uint8Array {
  const sig = new Uint8Array(sign('sha256', msg, { key: privateKeyObject(secretKey), dsaEncoding: 'ieee-p1363' }));
  const s = BigInt('0x' + bytesToHex(sig.subarray(32)));
  if (s > N >> 1n) sig.set(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), 32); // low-S form
  return sig;
}
