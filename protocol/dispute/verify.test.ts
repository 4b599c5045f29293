import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p256PublicKey } from '../backend.js';
import { receiptKeyFromSecret } from '../keys.js';
import { billGen, newMeterState, tokenGen, type Token } from '../meter.js';
import { issueReceipt } from '../receipt.js';
import { combineReceipts } from '../settlement.js';
import { type DisputeEvidence, encodeEvidence, verifyEvidence } from './index.js';

const setKey = new Uint8Array(32).fill(7);
const billKey = new Uint8Array(32).fill(8);
const uc = receiptKeyFromSecret(123456789n);

/** A period as the meter, the UC and the household make it: K tokens, their receipts, the bill, C. */
function period(K: number): DisputeEvidence {
  let state = newMeterState('house-1', 2, 40, new Uint8Array(32).fill(3));
  const tokens: Token[] = [];
  for (let i = 0; i < K; i++) ({ state, token: tokens[i] } = tokenGen(state, setKey) as { state: typeof state; token: Token });
  const receipts = tokens.map((t) => issueReceipt(uc.a, t.T));
  const { bill, mask } = billGen(state, 40, billKey);
  return encodeEvidence({
    A1: uc.A1, A2: uc.A2, set: 2, tokenPublicKey: p256PublicKey(setKey),
    tokens: tokens.map((t, i) => ({ T: t.T, sig: t.sig, receipt: receipts[i]! })),
    bill, billPublicKey: p256PublicKey(billKey), mask, combined: combineReceipts(receipts, mask, uc.A1),
  }, { state: 'settled', answer: 'settled', answeredAt: '2026-01-01T00:00:00.000Z' });
}

const failing = (json: unknown) => verifyEvidence(json, randomBytes).checks.filter((c) => !c.ok).map((c) => c.check);
const flip = (hex: string, at = hex.length - 2) => hex.slice(0, at) + ((parseInt(hex.slice(at, at + 2), 16) ^ 1).toString(16).padStart(2, '0')) + hex.slice(at + 2);
const copy = (e: DisputeEvidence): DisputeEvidence => structuredClone(e);

describe('dispute evidence (docs/dispute.md)', () => {
  const good = period(4);

  it('a real period passes every check, one line each', () => {
    const v = verifyEvidence(good, randomBytes);
    expect(v.checks.map((c) => c.check)).toEqual(['format', 'utility-key', 'tokens-distinct', 'token-signatures', 'receipts', 'bill-signature', 'combined', 'settlement']);
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(v.ok).toBe(true);
    expect(verifyEvidence(period(0), randomBytes).ok).toBe(true); // K = 0: C = −ρ·A1
  });

  // Each single change, and the checks that must name it.
  const cases: [string, (e: DisputeEvidence) => void, string[]][] = [
    ['a σ', (e) => { e.tokens[1]!.sig = flip(e.tokens[1]!.sig, 10); }, ['token-signatures']],
    ['an ω', (e) => { e.tokens[0]!.receipt = e.tokens[1]!.receipt; }, ['receipts', 'combined']],
    ['R_t', (e) => { e.bill.R = e.tokens[0]!.T; }, ['bill-signature', 'settlement']],
    ['β', (e) => { e.bill.sig = flip(e.bill.sig, 10); }, ['bill-signature']],
    ['the fault flag', (e) => { e.bill.fault = true; }, ['bill-signature']],
    ['the period', (e) => { e.bill.period = 41; }, ['token-signatures', 'bill-signature']],
    ['C', (e) => { e.combined = e.tokens[0]!.receipt; }, ['combined', 'settlement']],
    ['ρ_t', (e) => { e.mask = flip(e.mask); }, ['combined']],
    ['the fingerprint', (e) => { e.utility.fingerprint = flip(e.utility.fingerprint); }, ['utility-key']],
    ['a dropped token', (e) => { e.tokens.splice(1, 1); }, ['combined']],
    ['a duplicated token', (e) => { e.tokens.push(e.tokens[0]!); }, ['tokens-distinct', 'combined']],
  ];
  it.each(cases)('changing %s fails the named checks and the verdict', (_what, change, names) => {
    const e = copy(good);
    change(e);
    expect(failing(e)).toEqual(names);
  });

  it('a T swapped for another token\'s fails its signature and receipt', () => {
    const e = copy(good);
    e.tokens[2]!.T = good.tokens[3]!.T;
    expect(failing(e)).toEqual(['tokens-distinct', 'token-signatures', 'receipts']);
  });

  it('another utility key fails the key, receipt and settlement checks', () => {
    const e = copy(good);
    const other = receiptKeyFromSecret(5n);
    e.utility.A2 = Buffer.from(other.A2).toString('hex');
    expect(failing(e)).toEqual(['utility-key', 'receipts', 'settlement']);
  });

  it('a file without the bill key cannot pass', () => {
    const e = copy(good);
    e.bill.billPublicKey = null;
    expect(failing(e)).toEqual(['bill-signature']);
  });

  it('a malformed file fails the format check alone, with the field named', () => {
    const e = copy(good) as unknown as { tokens: { T: string }[] };
    e.tokens[0]!.T = 'zz';
    const v = verifyEvidence(e, randomBytes);
    expect(v.ok).toBe(false);
    expect(v.checks).toEqual([{ check: 'format', ok: false, detail: expect.stringContaining('tokens[0].T') }]);
    expect(failing({ format: 'other' })).toEqual(['format']);
    expect(failing(null)).toEqual(['format']);
  });
});
