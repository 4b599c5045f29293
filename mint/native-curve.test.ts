// Native (OpenSSL) secp256k1 paths against noble/cashu-ts: hash_to_curve, k·P, the keyset's input check (valid
// proofs accepted; negated C, C of another amount, random C refused, alone and inside batches) and signing (C_ = k·B_,
// DLEQ verified by cashu-ts).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createBlindSignature,
  createNewMintKeys,
  hashToCurve,
  pointFromHex,
  verifyDLEQProof,
} from '@cashu/cashu-ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { Keyset } from './keysets.js';
import { hashToCurveNative, NativeKey } from './native-curve.js';

const nut00 = JSON.parse(
  readFileSync(new URL('../testdata/cashu/nut00-bdhke.json', import.meta.url), 'utf8'),
) as { hash_to_curve: { message_hex: string; point: string }[] };

const seed = hexToBytes('11'.repeat(32));
const params = { unit: 'sat', inputFeePpk: 0, maxOrder: 8 };
const keyset = new Keyset(params, true, seed);
const privKeys = createNewMintKeys(8, seed, { unit: 'sat', input_fee_ppk: 0 }).privKeys as Record<string, Uint8Array>;
const key = (amount: number) => privKeys[String(amount)] as Uint8Array;
const scalar = (k: Uint8Array) => BigInt('0x' + bytesToHex(k));
const randomPoint = () => secp256k1.Point.BASE.multiply(BigInt('0x' + randomBytes(31).toString('hex')) + 1n);

function proof(amount: number) {
  const secret = randomBytes(16).toString('hex');
  const Y = hashToCurve(utf8ToBytes(secret));
  return { Y, C: createBlindSignature(Y, key(amount), keyset.id).C_ };
}

describe('native secp256k1', () => {
  it('hash_to_curve matches the spec vectors and cashu-ts', () => {
    for (const v of nut00.hash_to_curve) expect(hashToCurveNative(hexToBytes(v.message_hex)).toHex(true)).toBe(v.point);
    for (let i = 0; i < 200; i++) {
      const m = randomBytes(i % 40);
      expect(hashToCurveNative(m).equals(hashToCurve(m))).toBe(true);
    }
  });

  it('k·P equals noble, signs included', () => {
    for (let i = 0; i < 40; i++) {
      const k = randomBytes(32);
      const P = randomPoint();
      expect(new NativeKey(k).multiply(P).equals(P.multiply(scalar(k) % secp256k1.Point.CURVE().n))).toBe(true);
      expect(new NativeKey(k).multiply(P.negate()).equals(P.negate().multiply(scalar(k) % secp256k1.Point.CURVE().n))).toBe(true);
    }
  });

  it('accepts every valid proof, alone and in batches', () => {
    for (const amount of [1, 2, 64, 128]) {
      for (const n of [1, 2, 3, 16]) {
        expect(keyset.verify(amount, Array.from({ length: n }, () => proof(amount)))).toBe(true);
      }
    }
    expect(keyset.verify(1, [])).toBe(true);
  });

  it('refuses a negated C, a C of another amount and a random C, alone and inside batches', () => {
    for (const n of [1, 2, 5, 16]) {
      for (let bad = 0; bad < n; bad += Math.max(1, n - 1)) {
        const make = (f: (p: ReturnType<typeof proof>) => ReturnType<typeof proof>) =>
          Array.from({ length: n }, (_, i) => (i === bad ? f(proof(4)) : proof(4)));
        expect(keyset.verify(4, make((p) => ({ Y: p.Y, C: p.C.negate() })))).toBe(false);
        expect(keyset.verify(4, make((p) => ({ Y: p.Y, C: createBlindSignature(p.Y, key(8), keyset.id).C_ })))).toBe(false);
        expect(keyset.verify(4, make((p) => ({ Y: p.Y, C: randomPoint() })))).toBe(false);
        expect(keyset.verify(4, make((p) => ({ Y: p.Y, C: p.Y })))).toBe(false);
      }
      // every C negated, and two negated in one batch
      expect(keyset.verify(4, Array.from({ length: n }, () => proof(4)).map((p) => ({ Y: p.Y, C: p.C.negate() })))).toBe(false);
      if (n >= 2) {
        const ps = Array.from({ length: n }, () => proof(4));
        ps[0] = { Y: ps[0]!.Y, C: ps[0]!.C.negate() };
        ps[1] = { Y: ps[1]!.Y, C: ps[1]!.C.negate() };
        expect(keyset.verify(4, ps)).toBe(false);
      }
    }
    // a proof of another amount checked against this amount
    expect(keyset.verify(4, [proof(8)])).toBe(false);
    expect(keyset.verify(4, [proof(4), proof(8)])).toBe(false);
  });

  it('signs C_ = k·B_ with a DLEQ proof cashu-ts verifies', () => {
    for (const amount of [1, 32, 128]) {
      for (let i = 0; i < 10; i++) {
        const B_ = randomPoint();
        const sig = keyset.sign(amount, B_);
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
