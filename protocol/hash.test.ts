/**
 * H2S is RFC 9380 hash_to_field through noble (never hand-written): checked against the RFC's own vectors
 * (testdata/h2c/, provenance in sources.json there) and the IETF BBS hash_to_scalar fixtures,
 * which are the same construction into Fr.
 */
import { readFileSync } from 'node:fs';
import { expand_message_xmd, hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './bytes.js';
import { hashToScalar, periodMask, ratchet, tokenScalar } from './hash.js';

const h2c = (f: string) => JSON.parse(readFileSync(new URL(`../testdata/h2c/${f}`, import.meta.url), 'utf8'));
const utf8 = (s: string) => new TextEncoder().encode(s);
const ascii = (hex: string) => new TextDecoder().decode(hexToBytes(hex));

describe('RFC 9380 vectors through noble', () => {
  it.each(['rfc9380_expand_message_xmd_SHA256_38.json', 'rfc9380_expand_message_xmd_SHA256_256.json'])('expand_message_xmd: %s', (file) => {
    const v = h2c(file);
    expect(v.tests.length).toBeGreaterThan(0);
    for (const t of v.tests)
      expect(bytesToHex(expand_message_xmd(utf8(t.msg), v.DST, Number(t.len_in_bytes), sha256))).toBe(t.uniform_bytes);
  });

  it('hash_to_field over Fp (m = 1) gives the G1 vectors u0, u1', () => {
    const v = h2c('rfc9380_BLS12381G1_XMD_SHA-256_SSWU_RO_.json');
    for (const t of v.vectors) {
      const u = hash_to_field(utf8(t.msg), 2, { DST: v.dst, p: bls12_381.fields.Fp.ORDER, m: 1, k: 128, expand: 'xmd', hash: sha256 });
      expect(u.map(([x]) => '0x' + x!.toString(16).padStart(96, '0'))).toEqual(t.u);
    }
  });

  it('hash_to_field over Fp2 (m = 2) gives the G2 vectors', () => {
    const v = h2c('rfc9380_BLS12381G2_XMD_SHA-256_SSWU_RO_.json');
    for (const t of v.vectors) {
      const u = hash_to_field(utf8(t.msg), 2, { DST: v.dst, p: bls12_381.fields.Fp.ORDER, m: 2, k: 128, expand: 'xmd', hash: sha256 });
      expect(u.map((e) => e.map((x) => '0x' + x.toString(16).padStart(96, '0')).join(','))).toEqual(t.u);
    }
  });
});

describe('H2S into Fr (protocol.md §Notation)', () => {
  it('matches the BBS hash_to_scalar fixture', () => {
    const v = h2c('bbs_bls12-381-sha-256_hash_to_scalar.json');
    expect(hashToScalar(ascii(v.dst), hexToBytes(v.message)).toString(16).padStart(64, '0')).toBe(v.scalar);
  });

  it('matches all BBS map_message_to_scalar fixtures (the empty message included)', () => {
    const v = h2c('bbs_bls12-381-sha-256_map_message_to_scalar.json');
    expect(v.cases).toHaveLength(10);
    for (const c of v.cases) expect(hashToScalar(ascii(v.dst), hexToBytes(c.message)).toString(16).padStart(64, '0')).toBe(c.scalar);
  });

  it('separates domains: token scalars, masks and indexes never collide', () => {
    const seed = new Uint8Array(32).fill(9);
    const all = [tokenScalar(seed, 1, 0, 0), tokenScalar(seed, 1, 0, 1), tokenScalar(seed, 2, 0, 0), tokenScalar(seed, 1, 1, 0), periodMask(seed, 1, 0)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('ratchets the seed one way: s_{t+1} = SHA-256("SIPSTER-V1-RATCHET" || s_t)', () => {
    const seed = new Uint8Array(32).fill(1);
    expect(bytesToHex(ratchet(seed))).toBe(bytesToHex(sha256(new Uint8Array([...utf8('SIPSTER-V1-RATCHET'), ...seed]))));
    expect(() => ratchet(new Uint8Array(31))).toThrow(TypeError);
  });
});
