import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p256PublicKey } from '../backend.js';
import { receiptKeyFromSecret } from '../keys.js';
import { billGen, newMeterState, tokenGen, type Token } from '../meter.js';
import { issueReceipt } from '../receipt.js';
import { combineReceipts } from '../settlement.js';
import { EVIDENCE_MUTATIONS } from '../../test/support/dispute-mutations.js';
import { barePairingCheck, smallOrderPoint, withComponent } from '../../test/support/small-order.js';
import { bytesToHex, hexToBytes } from '../bytes.js';
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

describe('dispute evidence (docs/dispute.md)', () => {
  const good = period(4);

  it('a real period passes every check, one line each', () => {
    const v = verifyEvidence(good, randomBytes);
    expect(v.checks.map((c) => c.check)).toEqual(['format', 'utility-key', 'tokens-distinct', 'token-signatures', 'receipts', 'bill-signature', 'combined', 'settlement']);
    expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    expect(v.ok).toBe(true);
    expect(verifyEvidence(period(0), randomBytes).ok).toBe(true); // K = 0: C = −ρ·A1
  });

  it.each(EVIDENCE_MUTATIONS)('changing %s fails the named checks and the verdict', (_what, change, names) => {
    const e = structuredClone(good);
    change(e);
    expect(failing(e)).toEqual(names);
  });

  it('another utility key fails the key, receipt and settlement checks', () => {
    const e = structuredClone(good);
    const other = receiptKeyFromSecret(5n);
    e.utility.A2 = Buffer.from(other.A2).toString('hex');
    expect(failing(e)).toEqual(['utility-key', 'receipts', 'settlement']);
  });

  it('a tagged ω (a small-order component the pairing alone would not see) fails the subgroup-checked receipts', () => {
    const e = structuredClone(good);
    const tagged = withComponent(hexToBytes(e.tokens[1]!.receipt), smallOrderPoint());
    e.tokens[1]!.receipt = bytesToHex(tagged);
    expect(barePairingCheck(hexToBytes(e.utility.A2), hexToBytes(e.tokens[1]!.T), tagged)).toBe(true);
    const receipts = verifyEvidence(e, randomBytes).checks.find((c) => c.check === 'receipts');
    expect(receipts).toEqual({ check: 'receipts', ok: false, detail: 'receipts 1 do not verify against A2' });
  });

  it('a malformed file fails the format check alone, with the field named', () => {
    const e = structuredClone(good) as unknown as { tokens: { T: string }[] };
    e.tokens[0]!.T = 'zz';
    const v = verifyEvidence(e, randomBytes);
    expect(v.ok).toBe(false);
    expect(v.checks).toEqual([{ check: 'format', ok: false, detail: expect.stringContaining('tokens[0].T') }]);
    expect(failing({ format: 'other' })).toEqual(['format']);
    expect(failing(null)).toEqual(['format']);
  });
});
