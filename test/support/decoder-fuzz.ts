/**
 * Decoder fuzzing shared by every backend: random and mutated inputs into every decoder of protocol/;
 * the only exception allowed out is DecodeError (a RangeError/TypeError would be programmer misuse,
 * and these inputs are all well-typed).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  checkReceiptPublicKey, DecodeError, hexToBytes, issueReceipt, newMeterState, p256PublicKeyCheck, receiptKeyFromBytes,
  receiptKeyFromSecret, scalarFromBytes, tokenGen, billGen, verifyBill, verifyReceipt, verifyToken, type CurveBackend,
} from '../../protocol/index.js';
import { fuzzRuns } from './fuzz.js';

const setKey = new Uint8Array(32).fill(5);
const billKey = new Uint8Array(32).fill(6);
const key = receiptKeyFromSecret(77n);
const { state, token } = tokenGen(newMeterState('fuzz-1', 2, 3, new Uint8Array(32).fill(4)), setKey);
const { bill } = billGen(state, 3, billKey);
const receipt = issueReceipt(key.a, token.T);
const setPub = hexToBytes('03' + '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'); // P-256 generator x
const samples = { G1: token.T, G2: key.A2, sig: token.sig, R: bill.R, receipt, setPub };

/** Random bytes, or a valid encoding with bit flips, truncation, extension or a rewritten flag byte. */
const mutated = (valid: Uint8Array) =>
  fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: valid.length + 2 }),
    fc.tuple(fc.array(fc.nat(valid.length * 8 - 1), { minLength: 1, maxLength: 3 })).map(([bits]) => {
      const b = valid.slice();
      for (const bit of bits) b[bit >> 3]! ^= 1 << (bit & 7);
      return b;
    }),
    fc.nat(valid.length).map((n) => valid.slice(0, n)),
    fc.uint8Array({ minLength: 1, maxLength: 3 }).map((extra) => new Uint8Array([...valid, ...extra])),
    fc.integer({ min: 0, max: 255 }).map((flag) => {
      const b = valid.slice();
      b[0] = flag;
      return b;
    }),
  );

export function fuzzDecoders(backend: CurveBackend, ciRuns: number): void {
  const decoders = fc.oneof(
    mutated(samples.G1).map((b) => () => backend.g1FromBytes(b, true)),
    mutated(samples.G1).map((b) => () => backend.g1FromBytes(b, false)),
    mutated(samples.G2).map((b) => () => backend.g2FromBytes(b)),
    fc.uint8Array({ maxLength: 34 }).map((b) => () => scalarFromBytes(b)),
    fc.uint8Array({ maxLength: 34 }).map((b) => () => receiptKeyFromBytes(b)),
    mutated(samples.setPub).map((b) => () => p256PublicKeyCheck(b)),
    fc.string({ maxLength: 100 }).map((s) => () => hexToBytes(s, 48)),
    fc.tuple(mutated(samples.G1), mutated(samples.sig)).map(([T, sig]) => () => verifyToken(setPub, { set: 2, period: 3, T, sig }, backend)),
    fc.tuple(mutated(samples.R), mutated(samples.sig)).map(([R, sig]) => () => verifyBill(setPub, { ...bill, R, sig }, backend)),
    fc.tuple(mutated(samples.receipt)).map(([w]) => () => verifyReceipt(key.A2, token.T, w, backend)),
    fc.tuple(mutated(samples.G1), mutated(samples.G2)).map(([A1, A2]) => () => checkReceiptPublicKey(A1, A2, backend)),
  );
  let runs = 0;
  fc.assert(
    fc.property(decoders, (decode) => {
      runs++;
      try {
        decode();
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
      }
    }),
    { numRuns: fuzzRuns(ciRuns) },
  );
  expect(runs).toBeGreaterThanOrEqual(fuzzRuns(ciRuns));
}
