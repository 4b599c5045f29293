/**
 * Hashing with domain separation (protocol.md §Notation, §Meter state):
 *   H2S(dst, bytes...)  RFC 9380 hash_to_field into Fr (expand_message_xmd, SHA-256, k = 128, so L = 48)
 *   ratchet(s_t)        s_{t+1} = SHA-256("SIPSTER-V1-RATCHET" || s_t)
 * @module
 */
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ascii, concatBytes, u32 } from './bytes.js';
import { Q } from './curve.js';

export const DST_TOKEN_SCALAR = 'SIPSTER-V1-TOKEN-SCALAR';
export const DST_MASK = 'SIPSTER-V1-MASK';
export const TAG_RATCHET = 'SIPSTER-V1-RATCHET';
export const TAG_TOKEN = 'SIPSTER-V1-TOKEN';
export const TAG_BILL = 'SIPSTER-V1-BILL';

export const SEED_BYTES = 32;

/**
 * Hash to a uniform scalar of Fr, never 0: RFC 9380 §5.2 hash_to_field with count = 1, m = 1.
 * A zero output (probability 2^-255) is re-hashed with a trailing 0x00, so the function is total.
 */
export function hashToScalar(dst: string, msg: Uint8Array): bigint {
  const [[k]] = hash_to_field(msg, 1, { DST: dst, p: Q, m: 1, k: 128, expand: 'xmd', hash: sha256 }) as [[bigint]];
  return k === 0n ? hashToScalar(dst, concatBytes(msg, new Uint8Array(1))) : k;
}

function assertSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) throw new TypeError(`seed must be ${SEED_BYTES} bytes`);
}

/** y = H2S("SIPSTER-V1-TOKEN-SCALAR", s_t, t, e, i) */
export function tokenScalar(seed: Uint8Array, period: number, epoch: number, index: number): bigint {
  assertSeed(seed);
  return hashToScalar(DST_TOKEN_SCALAR, concatBytes(seed, u32('period', period), u32('epoch', epoch), u32('index', index)));
}

/** ρ_t = H2S("SIPSTER-V1-MASK", s_t, t, e) */
export function periodMask(seed: Uint8Array, period: number, epoch: number): bigint {
  assertSeed(seed);
  return hashToScalar(DST_MASK, concatBytes(seed, u32('period', period), u32('epoch', epoch)));
}

/** s_{t+1} = SHA-256("SIPSTER-V1-RATCHET" || s_t): a seed stolen later reveals nothing of earlier periods. */
export function ratchet(seed: Uint8Array): Uint8Array {
  assertSeed(seed);
  return sha256(concatBytes(ascii(TAG_RATCHET), seed));
}
