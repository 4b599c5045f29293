// The mint's libsecp256k1 paths against noble/cashu-ts: hash_to_curve, point parsing, k·P, the keyset's input check
// (valid proofs accepted; negated C, C of another amount, random C refused) and signing (C_ = k·B_, DLEQ verified by
// cashu-ts).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createBlindSignature,
  createNewMintKeys,
  hashToCurve as cashuHashToCurve,
  pointFromHex,
  verifyDLEQProof,
} from '@cashu/cashu-ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { Keyset } from './keysets.js';
import { hashToCurve, parsePoint, SecretKey } from './native-curve.js';

const nut00 = JSON.parse(
  readFileSync(new URL('../testdata/cashu/nut00-bdhke.json', import.meta.url), 'utf8'),
) as { hash_to_curve: { message_hex: string; point: string }[] };

const seed = hexToBytes('11'.repeat(32));
const params = { unit: 'sat', inputFeePpk: 0, maxOrder: 8 };
const keyset = new Keyset(params, true, seed);
const privKeys = createNewMintKeys(8, seed, { unit: 'sat', input_fee_ppk: 0 }).privKeys as Record<string, Uint8Array>;
const key = (amount: number) => privKeys[String(amount)] as Uint8Array;
const n = secp256k1.Point.CURVE().n;
const scalar = (k: Uint8Array) => BigInt('0x' + bytesToHex(k)) % n;
const randomPoint = () => secp256k1.Point.BASE.multiply(BigInt('0x' + randomBytes(31).toString('hex')) + 1n);
const bytes = (P: ReturnType<typeof randomPoint>) => P.toBytes(true);
const hex = (P: Uint8Array) => bytesToHex(P);

function proof(amount: number) {
  const secret = randomBytes(16).toString('hex');
  const Y = cashuHashToCurve(utf8ToBytes(secret));
  return { Y, C: createBlindSignature(Y, key(amount), keyset.id).C_ };
}
const check = (amount: number, p: ReturnType<typeof proof>) => keyset.verify(amount, bytes(p.Y), bytes(p.C));

describe('libsecp256k1 (mint/native-curve.ts)', () => {
  it('hash_to_curve matches the spec vectors and cashu-ts', () => {
    for (const v of nut00.hash_to_curve) expect(hex(hashToCurve(hexToBytes(v.message_hex)))).toBe(v.point);
    for (let i = 0; i < 200; i++) {
      const m = randomBytes(i % 40);
      expect(hex(hashToCurve(m))).toBe(cashuHashToCurve(m).toHex(true));
    }
  });

  it('parses compressed points only, on the curve', () => {
    const P = randomPoint();
    expect(hex(parsePoint(P.toHex(true))!)).toBe(P.toHex(true));
    expect(hex(parsePoint(P.toHex(true).toUpperCase())!)).toBe(P.toHex(true));
    for (const bad of [P.toHex(false), '00', '', '02' + '00'.repeat(32), '04' + '11'.repeat(64), P.toHex(true).slice(0, 64), P.toHex(true) + '00', 'zz' + P.toHex(true).slice(2)]) {
      expect(parsePoint(bad)).toBeNull();
    }
    // an x with no point on the curve: half of all x are such
    let offCurve = 0;
    for (let i = 0; i < 64; i++) {
      const candidate = '02' + randomBytes(32).toString('hex');
      let onCurve = true;
      try { secp256k1.Point.fromHex(candidate); } catch { onCurve = false; }
      expect(parsePoint(candidate) !== null).toBe(onCurve);
      if (!onCurve) offCurve++;
    }
    expect(offCurve).toBeGreaterThan(0);
  });

  it('k·P equals noble, signs included', () => {
    for (let i = 0; i < 40; i++) {
      const k = randomBytes(32);
      if (scalar(k) === 0n || BigInt('0x' + bytesToHex(k)) >= n) continue;
      const P = randomPoint();
      expect(hex(new SecretKey(k).multiply(bytes(P)))).toBe(P.multiply(scalar(k)).toHex(true));
      expect(hex(new SecretKey(k).multiply(bytes(P.negate())))).toBe(P.negate().multiply(scalar(k)).toHex(true));
    }
    expect(() => new SecretKey(new Uint8Array(32))).toThrow(RangeError);
  });

  it('accepts every valid proof', () => {
    for (const amount of [1, 2, 64, 128]) for (let i = 0; i < 4; i++) expect(check(amount, proof(amount))).toBe(true);
  });

  it('refuses a negated C, a C of another amount, a random C and C = Y', () => {
    for (let i = 0; i < 4; i++) {
      const p = proof(4);
      expect(check(4, { Y: p.Y, C: p.C.negate() })).toBe(false);
      expect(check(4, { Y: p.Y, C: createBlindSignature(p.Y, key(8), keyset.id).C_ })).toBe(false);
      expect(check(4, { Y: p.Y, C: randomPoint() })).toBe(false);
      expect(check(4, { Y: p.Y, C: p.Y })).toBe(false);
      expect(check(4, proof(8))).toBe(false);
    }
  });

  it('signs C_ = k·B_ with a DLEQ proof cashu-ts verifies', () => {
    for (const amount of [1, 32, 128]) {
      for (let i = 0; i < 10; i++) {
        const B_ = randomPoint();
        const sig = keyset.sign(amount, bytes(B_));
        expect(sig.C_).toBe(createBlindSignature(B_, key(amount), keyset.id).C_.toHex(true));
        const dleq = { e: hexToBytes(sig.dleq.e), s: hexToBytes(sig.dleq.s) };
        const A = pointFromHex(keyset.publicKeys[String(amount)] as string);
        expect(verifyDLEQProof(dleq, B_, pointFromHex(sig.C_), A)).toBe(true);
        // and not for another key or another B_
        const other = pointFromHex(keyset.publicKeys[String(amount * 2 > 128 ? 1 : amount * 2)] as string);
        expect(verifyDLEQProof(dleq, B_, pointFromHex(sig.C_), other)).toBe(false);
        expect(verifyDLEQProof(dleq, randomPoint(), pointFromHex(sig.C_), A)).toBe(false);
      }
    }
  });
});
