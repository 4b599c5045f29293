// The Cashu spec's own vectors (testdata/cashu, from cashubtc/nuts tests/*.md at 3ddb1ae) replayed against
// cashu-ts's primitives (keyset ids come from there) and against the mint's own libsecp256k1 ones
// (native-curve.ts): NUT-00 hash_to_curve and C_ = k·B_, NUT-02 keyset ids, NUT-12 hash_e and the DLEQ with the
// deterministic nonce. Token (v3/v4) and NUT-13 vectors are wallet side.
import { readFileSync } from 'node:fs';
import {
  blindMessage,
  createBlindSignature,
  createDLEQProof,
  deriveKeysetId,
  hash_e,
  hashToCurve,
  pointFromHex,
  verifyDLEQProof,
  verifyDLEQProof_reblind,
} from '@cashu/cashu-ts';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { hashE, hashToCurve as mintHashToCurve, parsePoint, SecretKey } from './native-curve.js';

const vectors = (name: string) =>
  JSON.parse(readFileSync(new URL(`../testdata/cashu/${name}`, import.meta.url), 'utf8'));
const nut00 = vectors('nut00-bdhke.json');
const nut02 = vectors('nut02-keyset-ids.json');
const nut12 = vectors('nut12-dleq.json');

describe('NUT-00 BDHKE vectors', () => {
  it('hash_to_curve', () => {
    for (const v of nut00.hash_to_curve) expect(hashToCurve(hexToBytes(v.message_hex)).toHex(true)).toBe(v.point);
  });
  it('blinded messages B_ = Y + r·G (what the mint receives)', () => {
    for (const v of nut00.blinded_messages) {
      expect(blindMessage(hexToBytes(v.x_hex), BigInt('0x' + v.r)).B_.toHex(true)).toBe(v.B_);
    }
  });
  it('blind signatures C_ = k·B_ (what the mint returns)', () => {
    for (const v of nut00.blind_signatures) {
      expect(createBlindSignature(pointFromHex(v.B_), hexToBytes(v.k), 'id').C_.toHex(true)).toBe(v.C_);
    }
  });
});

describe('NUT-02 keyset id vectors', () => {
  it('v1 ids (deprecated, still accepted from old wallets)', () => {
    for (const v of nut02.v1) expect(deriveKeysetId(v.keys, { versionByte: 0 })).toBe(v.keyset_id);
  });
  it('v2 ids over keys, unit, input fee and final expiry', () => {
    for (const v of nut02.v2) {
      const id = deriveKeysetId(v.keys, { unit: v.unit, input_fee_ppk: v.input_fee_ppk, expiry: v.final_expiry ?? undefined, versionByte: 1 });
      expect(id).toBe(v.keyset_id);
    }
  });
});

describe('NUT-12 DLEQ vectors', () => {
  it('hash_e', () => {
    const { R1, R2, K, C_ } = nut12.hash_e.inputs;
    expect(bytesToHex(hash_e([R1, R2, K, C_].map(pointFromHex)))).toBe(nut12.hash_e.output);
  });
  it('the mint reproduces e and s exactly with the deterministic nonce', () => {
    const v = nut12.deterministic_nonce;
    const B_ = pointFromHex(v.B_);
    expect(createBlindSignature(B_, hexToBytes(v.a), 'id').C_.toHex(true)).toBe(v.C_);
    const dleq = createDLEQProof(B_, hexToBytes(v.a));
    expect([bytesToHex(dleq.e), bytesToHex(dleq.s)]).toEqual([v.e, v.s]);
  });
  it('a BlindSignature DLEQ verifies, and fails once e is changed', () => {
    const v = nut12.blind_signature_with_valid_dleq;
    const dleq = { e: hexToBytes(v.blind_signature.dleq.e), s: hexToBytes(v.blind_signature.dleq.s) };
    const args = [pointFromHex(v.B_), pointFromHex(v.blind_signature.C_), pointFromHex(v.A)] as const;
    expect(verifyDLEQProof(dleq, ...args)).toBe(true);
    const e = Uint8Array.from(dleq.e);
    e[0] = (e[0] as number) ^ 1;
    expect(verifyDLEQProof({ ...dleq, e }, ...args)).toBe(false);
  });
  it('a Proof DLEQ verifies after rebuilding B_ and C_ from r', () => {
    const { A, proof } = nut12.proof_with_valid_dleq;
    const dleq = { e: hexToBytes(proof.dleq.e), s: hexToBytes(proof.dleq.s), r: BigInt('0x' + proof.dleq.r) };
    expect(verifyDLEQProof_reblind(utf8ToBytes(proof.secret), dleq, pointFromHex(proof.C), pointFromHex(A))).toBe(true);
  });
});

describe('the same vectors against the mint\'s libsecp256k1 primitives', () => {
  const P = (hex: string) => parsePoint(hex)!;
  it('NUT-00 hash_to_curve and C_ = k·B_', () => {
    for (const v of nut00.hash_to_curve) expect(bytesToHex(mintHashToCurve(hexToBytes(v.message_hex)))).toBe(v.point);
    for (const v of nut00.blind_signatures) expect(bytesToHex(new SecretKey(hexToBytes(v.k)).multiply(P(v.B_)))).toBe(v.C_);
  });
  it('NUT-12 hash_e', () => {
    const { R1, R2, K, C_ } = nut12.hash_e.inputs;
    expect(bytesToHex(hashE([R1, R2, K, C_].map(P)))).toBe(nut12.hash_e.output);
  });
  it('NUT-12 C_, e and s exactly, with the deterministic nonce', () => {
    const v = nut12.deterministic_nonce;
    const key = new SecretKey(hexToBytes(v.a));
    expect(bytesToHex(key.publicKey)).toBe(v.A);
    const sig = key.sign(P(v.B_));
    expect([bytesToHex(sig.C_), bytesToHex(sig.e), bytesToHex(sig.s)]).toEqual([v.C_, v.e, v.s]);
  });
});
