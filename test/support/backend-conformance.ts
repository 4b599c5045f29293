/**
 * The conformance suite every CurveBackend passes (issue 2): the committed vectors recomputed byte for
 * byte, the small-order receipt attack refused, strict decoding codes, and settlement properties.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  billGen, bytesToHex as hex, checkReceiptPublicKey, closePeriod, combineReceipts, DecodeError, hexToBytes, issueReceipt,
  loseState, newMeterState, Q, receiptKeyFromSecret, scalarFromBytes, tokenGen, verifyBill, verifyReceipt,
  verifyReceiptsBatch, verifySettlement, verifySettlementPublic, verifyToken, type CurveBackend, type MeterState,
} from '../../protocol/index.js';
import { barePairingCheck, smallOrderPoint, withComponent } from './small-order.js';

const { Fp } = bls12_381.fields;

const vectors = JSON.parse(readFileSync(new URL('../../docs/test-vectors.json', import.meta.url), 'utf8'));
type Case = (typeof vectors.cases)[number];
const rng = (n: number) => new Uint8Array(randomBytes(n));

function replay(c: Case, backend: CurveBackend, exactSignatures: boolean) {
  const a = scalarFromBytes(hexToBytes(c.uc.a));
  let state: MeterState = newMeterState(c.meter.id, c.meter.set, c.period - c.meter.ratchets, hexToBytes(c.meter.seed));
  for (let r = 0; r < c.meter.ratchets; r++) state = closePeriod(state);
  for (let e = 0; e < c.meter.epoch; e++) state = loseState(state);
  expect(hex(state.current.seed)).toBe(c.periodSeed);
  const setKey = hexToBytes(c.meter.setSecretKey);
  c.tokens.forEach((v: Case['tokens'][number]) => {
    const r = tokenGen(state, setKey, backend);
    state = r.state;
    expect(r.token.index).toBe(v.i);
    expect(hex(r.token.T)).toBe(v.T);
    if (exactSignatures) expect(hex(r.token.sig)).toBe(v.sig);
    verifyToken(hexToBytes(c.meter.setPublicKey), { ...r.token, sig: hexToBytes(v.sig) }, backend);
    verifyToken(hexToBytes(c.meter.setPublicKey), r.token, backend);
  });
  expect(c.tokens.map((v: Case['tokens'][number]) => hex(issueReceipt(a, hexToBytes(v.T), backend)))).toEqual(c.receipts);
  const { bill, mask, count } = billGen(state, c.period, hexToBytes(c.meter.billSecretKey), backend);
  expect(count).toBe(c.K);
  expect(hex(bill.R)).toBe(c.bill.R);
  if (exactSignatures) expect(hex(bill.sig)).toBe(c.bill.sig);
  verifyBill(hexToBytes(c.meter.billPublicKey), { ...bill, sig: hexToBytes(c.bill.sig) }, backend);
  const receipts = c.receipts.map((r: string) => hexToBytes(r));
  const C = combineReceipts(receipts, mask, hexToBytes(c.uc.A1), backend);
  expect(hex(C)).toBe(c.combined);
  expect(verifySettlement(a, bill.R, C, backend)).toBe(true);
  expect(verifySettlementPublic(hexToBytes(c.uc.A2), bill.R, C, backend)).toBe(true);
}

export function describeBackend(backend: CurveBackend, { exactSignatures }: { exactSignatures: boolean }) {
  describe(`CurveBackend ${backend.name}`, () => {
    for (const c of vectors.cases as Case[]) it(`recomputes vector ${c.name} byte for byte`, () => replay(c, backend, exactSignatures));

    const key = receiptKeyFromSecret(0x1234_5678_9abc_def0_1122_3344_5566_7788n);
    const setKey = hexToBytes(vectors.cases[2].meter.setSecretKey);
    const tokens = (n: number, id = 'home-1', period = 7, seed = 1) => {
      let s = newMeterState(id, 3, period, new Uint8Array(32).fill(seed));
      const out = [];
      for (let i = 0; i < n; i++) {
        const r = tokenGen(s, setKey, backend);
        s = r.state;
        out.push(r.token);
      }
      return { state: s, tokens: out };
    };

    it('checks the receipt public key pair and refuses a mismatched one', () => {
      checkReceiptPublicKey(key.A1, key.A2, backend);
      const other = receiptKeyFromSecret(99n);
      expect(() => checkReceiptPublicKey(key.A1, other.A2, backend)).toThrow(expect.objectContaining({ code: 'key-mismatch' }));
    });

    it('refuses a receipt with a small-order component, singly and in a batch, though it passes a bare pairing check', () => {
      const { tokens: ts } = tokens(4);
      const receipts = ts.map((t) => issueReceipt(key.a, t.T, backend));
      const tagged = withComponent(receipts[2]!, smallOrderPoint());
      expect(hex(tagged)).not.toBe(hex(receipts[2]!));
      // The pairing alone cannot see the tag: e(ω + E, G2) = e(ω, G2) since E's order divides the cofactor.
      // (blst's Miller loop does no subgroup check of its own, so it serves as the bare pairing for every backend.)
      expect(barePairingCheck(key.A2, ts[2]!.T, tagged)).toBe(true);
      expect(() => verifyReceipt(key.A2, ts[2]!.T, tagged, backend)).toThrow(expect.objectContaining({ code: 'not-in-subgroup' }));
      const items = ts.map((t, i) => ({ T: t.T, receipt: i === 2 ? tagged : receipts[i]! }));
      expect(verifyReceiptsBatch(key.A2, items, rng, backend)).toEqual({ ok: false, bad: [2] });
    });

    it('multi-scalar multiplication equals the sum of the products, at every window size', () => {
      const scalar = (bytes: number) => BigInt(`0x${Buffer.from(rng(bytes)).toString('hex')}`);
      // 2,100 points reach blst's widest window; noble (the reference) would take minutes there.
      for (const n of [3, 40, 300, ...(backend.name === 'noble' ? [] : [2100])]) {
        const ps = Array.from({ length: n }, () => backend.g1Mul(backend.g1Generator(), scalar(32)));
        // 128-bit batch coefficients, and a few full-size, zero and ≥ q ones.
        const ks = ps.map((_, i) => (i % 7 === 0 ? scalar(32) + (i % 14 === 0 ? Q : 0n) : i % 11 === 0 ? 0n : scalar(16)));
        const naive = backend.g1Sum(ps.map((p, i) => backend.g1Mul(p, ks[i]!)));
        expect(hex(backend.g1ToBytes(backend.g1Msm(ps, ks)))).toBe(hex(backend.g1ToBytes(naive)));
      }
    }, 600_000);

    it('batch verification accepts a good batch and names every bad receipt', () => {
      const { tokens: ts } = tokens(20);
      const items = ts.map((t) => ({ T: t.T, receipt: issueReceipt(key.a, t.T, backend) }));
      expect(verifyReceiptsBatch(key.A2, items, rng, backend)).toEqual({ ok: true, bad: [] });
      const swapped = items.map((it, i) => (i === 5 ? { ...it, receipt: items[6]!.receipt } : i === 13 ? { ...it, receipt: issueReceipt(key.a + 1n, it.T, backend) } : it));
      expect(verifyReceiptsBatch(key.A2, swapped, rng, backend)).toEqual({ ok: false, bad: [5, 13] });
      expect(verifyReceiptsBatch(key.A2, [], rng, backend)).toEqual({ ok: true, bad: [] });
    });

    it('decodes strictly, one code per kind', () => {
      const T = tokens(1).tokens[0]!.T;
      const code = (f: () => unknown) => {
        try {
          f();
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          return (e as DecodeError).code;
        }
        return 'accepted';
      };
      const identity = new Uint8Array(48);
      identity[0] = 0xc0;
      const uncompressed = T.slice();
      uncompressed[0]! &= 0x7f;
      const bigX = new Uint8Array(48).fill(0xff);
      bigX[0] = 0x9f;
      expect(code(() => backend.g1FromBytes(T.subarray(1), true))).toBe('bad-length');
      expect(code(() => backend.g1FromBytes(identity, true))).toBe('identity');
      expect(code(() => backend.g1FromBytes(uncompressed, true))).toBe('non-canonical');
      expect(code(() => backend.g1FromBytes(bigX, true))).toBe('non-canonical');
      expect(code(() => backend.g1FromBytes(notOnCurve(), true))).toBe('not-on-curve');
      expect(code(() => backend.g1FromBytes(withComponent(T, smallOrderPoint()), true))).toBe('not-in-subgroup');
      expect(code(() => backend.g1FromBytes(T, true))).toBe('accepted');
      expect(code(() => backend.g2FromBytes(key.A1))).toBe('bad-length');
      expect(code(() => verifyToken(hexToBytes(vectors.cases[2].meter.setPublicKey), { set: 3, period: 8, T, sig: tokens(1).tokens[0]!.sig }, backend))).toBe('bad-signature');
    });

    it('settles iff every token of the period has its receipt (property)', () => {
      const mutations = ['none', 'missing', 'duplicate', 'foreign-period', 'forged', 'other-household', 'other-meter-bill', 'other-period-bill'] as const;
      const billKey = hexToBytes(vectors.cases[2].meter.billSecretKey);
      const billPub = hexToBytes(vectors.cases[2].meter.billPublicKey);
      const otherBillKey = hexToBytes(vectors.cases[3].meter.billSecretKey);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4 }), fc.constantFrom(...mutations), fc.integer({ min: 1, max: 200 }), (K, mutation, seed) => {
          const needsToken = ['missing', 'duplicate'].includes(mutation);
          if (needsToken && K === 0) return;
          const home = tokens(K, 'home-1', 7, seed);
          let receipts = home.tokens.map((t) => issueReceipt(key.a, t.T, backend));
          const { mask } = billGen(home.state, 7, billKey, backend);
          let { bill } = billGen(home.state, 7, billKey, backend);
          if (mutation === 'missing') receipts = receipts.slice(1);
          if (mutation === 'duplicate') receipts = [...receipts, receipts[0]!];
          if (mutation === 'foreign-period') receipts = [...receipts, issueReceipt(key.a, tokens(1, 'home-1', 6, seed).tokens[0]!.T, backend)];
          if (mutation === 'forged') receipts = [...receipts, backend.g1ToBytes(backend.g1Mul(backend.g1Generator(), BigInt(seed) * 7919n))];
          if (mutation === 'other-household') receipts = [...receipts, issueReceipt(key.a, tokens(1, 'home-2', 7, seed + 1).tokens[0]!.T, backend)];
          if (mutation === 'other-meter-bill') {
            const other = tokens(K, 'home-2', 7, seed);
            bill = billGen(other.state, 7, otherBillKey, backend).bill;
          }
          if (mutation === 'other-period-bill') {
            bill = billGen(closePeriod(home.state), 8, billKey, backend).bill;
          }
          const C = combineReceipts(receipts, mask, key.A1, backend);
          let settled: boolean;
          try {
            verifyBill(billPub, { ...bill, meter: 'home-1', period: 7 }, backend);
            settled = verifySettlement(key.a, bill.R, C, backend);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
            settled = false;
          }
          expect(settled).toBe(mutation === 'none');
        }),
        { numRuns: backend.name === 'noble' ? 24 : 60 },
      );
    });
  });
}

/** Compressed-form bytes whose x has no y on the curve (x³ + 4 is a non-residue mod p). */
function notOnCurve(): Uint8Array {
  for (let x = 1n; ; x++) {
    if (Fp.pow(Fp.add(Fp.pow(x, 3n), 4n), (Fp.ORDER - 1n) / 2n) === 1n) continue;
    const b = new Uint8Array(48);
    b[0] = 0x80;
    b[47] = Number(x);
    return b;
  }
}
