// The receipt-sums addon against protocol's receiptChunkSums on noble (the reference) and on blst's bindings: the
// same bad indexes and the same sum bytes on the same input, good receipts and every way a receipt or T can be bad.
import { randomBytes } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import { issueReceipt, nobleBackend, receiptChunkSums, receiptKeyFromSecret, type ReceiptItem } from '../../protocol/index.js';
import { smallOrderPoint, withComponent } from '../../test/support/small-order.js';
import { blstBackend } from '../blst.js';
import { pack } from '../receipt-chunk.js';
import { loadReceiptSumsBuild, receiptSumsAddon } from './receipt-sums.js';

const blst = blstBackend();
const key = receiptKeyFromSecret(0x7e57_ab1e_5eed_0001_7e57_ab1e_5eed_0002n);
const rng = (n: number) => new Uint8Array(randomBytes(n));
const batch = (n: number): ReceiptItem[] =>
  Array.from({ length: n }, () => {
    const T = blst.g1ToBytes(blst.g1Mul(blst.g1Generator(), BigInt(`0x${randomBytes(32).toString('hex')}`)));
    return { T, receipt: issueReceipt(key.a, T, blst) };
  });
const filled = (fill: number, first = fill) => { const b = new Uint8Array(48).fill(fill); b[0] = first; return b; };

/** A canonical compressed encoding whose x has no point on y² = x³ + 4. */
function offCurve(): Uint8Array {
  const { Fp } = bls12_381.fields;
  for (let x = 1n; ; x++) {
    if (Fp.pow(Fp.add(Fp.pow(x, 3n), 4n), (Fp.ORDER - 1n) / 2n) === 1n) continue;
    const out = Buffer.from(x.toString(16).padStart(96, '0'), 'hex');
    out[0] = out[0]! | 0x80;
    return new Uint8Array(out);
  }
}

it('the receipt-sums addon loads on this machine (built by `npm ci`, or `npm run build:native`)', () => {
  expect(typeof receiptSumsAddon().receiptChunkSums).toBe('function');
});

// The build for every CPU, and the ADX build where this machine loads it.
const builds = (() => {
  try {
    return [loadReceiptSumsBuild(false), ...(receiptSumsAddon().adx ? [receiptSumsAddon()] : [])];
  } catch {
    return []; // the test above fails, saying why
  }
})();

describe.each(builds.map((addon) => [addon.adx ? 'ADX' : 'portable', addon] as const))('the receipt-sums addon (%s build)', (_, addon) => {
  /** The addon's sums, after checking them against noble's (the reference) and, unless told not to, the bindings'. */
  const expectSame = (items: readonly ReceiptItem[], { coefficients = rng(16 * items.length), bindings = true } = {}) => {
    const native = addon.receiptChunkSums(pack(items)!, coefficients);
    expect(native).toEqual(receiptChunkSums(items, coefficients, nobleBackend));
    if (bindings) expect(native).toEqual(receiptChunkSums(items, coefficients, blst));
    return native;
  };

  it('sums random good chunks as noble and blst do, of every small size and 64', () => {
    for (const n of [1, 2, 3, 7, 64]) expect(expectSame(batch(n)).bad).toEqual([]);
    expect(expectSame([])).toEqual({ bad: [], W: null, T: null });
  }, 60_000);

  it('takes the coefficients as protocol/ does: big-endian, made odd', () => {
    const items = batch(5);
    const coefficients = new Uint8Array(80);
    coefficients.fill(0xff, 16, 32); // 2^128 − 1
    coefficients[47] = 0x01; // 1, as 0 becomes
    coefficients[48] = 0x80; // the top bit alone, made odd
    coefficients.fill(0x5a, 64);
    expectSame(items, { coefficients });
  }, 60_000);

  it('names the bad items as noble does, and sums the others', () => {
    const items = batch(12);
    const at = (i: number, change: Partial<ReceiptItem>) => { items[i] = { ...items[i]!, ...change }; };
    const E = smallOrderPoint();
    at(1, { receipt: withComponent(items[1]!.receipt, E) }); // ω tagged: outside the subgroup
    at(2, { receipt: filled(0xff) }); // x ≥ p
    at(3, { receipt: filled(0, 0x00) }); // not compressed
    at(4, { receipt: filled(0, 0xc0) }); // the identity
    at(5, { receipt: filled(0, 0xe0) }); // an identity with the sign bit: malformed
    at(6, { receipt: offCurve() }); // no point with this x
    at(7, { T: offCurve() }); // T off the curve
    at(8, { T: filled(0, 0xc0) }); // T the identity
    at(10, { receipt: items[11]!.receipt }); // a receipt twice: decodes, only the pairing check finds it
    expect(expectSame(items).bad).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(expectSame(items.slice(1, 9))).toEqual({ bad: [0, 1, 2, 3, 4, 5, 6, 7], W: null, T: null });
    expect(expectSame([items[0]!, items[1]!]).bad).toEqual([1]); // one left: the single multiplication
    // T outside the subgroup: on the curve is all T needs here, so it is summed. Against noble only: the bindings'
    // multiplication by a 256-bit scalar (theirs, below 16 points) uses the GLV endomorphism, exact in the subgroup only.
    at(9, { T: withComponent(items[9]!.T, E) });
    expect(expectSame(items, { bindings: false }).bad).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(expectSame(items.slice(9, 10), { bindings: false }).bad).toEqual([]); // alone: the single multiplication
    expect(expectSame(items.slice(9, 12), { bindings: false }).bad).toEqual([]);
  }, 60_000);

  it('refuses arguments of the wrong shape with a typed error', () => {
    const { receiptChunkSums: sums } = addon;
    expect(() => sums(new Uint8Array(95), new Uint8Array(16))).toThrow(RangeError);
    expect(() => sums(new Uint8Array(96), new Uint8Array(15))).toThrow(RangeError);
    expect(() => sums(new Uint16Array(48) as unknown as Uint8Array, new Uint8Array(16))).toThrow(TypeError);
    expect(() => (sums as (items: Uint8Array) => unknown)(new Uint8Array(96))).toThrow(TypeError);
  });
});
