import { randomBytes } from 'node:crypto';
import { Amount, CTSError, OutputData, blindMessage, hasValidDleq, type SerializedBlindedSignature } from '@cashu/cashu-ts';
import { describe, expect, it } from 'vitest';
import { secp256k1Addon } from '../../curve-backends/index.js';
import { hashToCurve, SecretKey } from '../../mint/native-curve.js';
import { NativeOutput, nativeOutputs } from './native-outputs.js';

const lib = secp256k1Addon();
const mintKey = new SecretKey(new Uint8Array(randomBytes(32)));
const keyset = { id: `00${'5a'.repeat(7)}`, keys: { 4: Buffer.from(mintKey.publicKey).toString('hex') } };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A secret as cashu-ts's random outputs make it, and an r in [1, n). */
function secretAndR(): { secret: Uint8Array; r: Uint8Array } {
  for (;;) {
    const r = randomBytes(32);
    if (lib.privateKeyVerify(r)) return { secret: new TextEncoder().encode(randomBytes(32).toString('hex')), r };
  }
}

/** The mint's signature on B_, with its DLEQ proof. */
function signed(B_: string): SerializedBlindedSignature {
  const s = mintKey.sign(Buffer.from(B_, 'hex'));
  return { id: keyset.id, amount: Amount.from(4), C_: hex(s.C_), dleq: { e: s.e.toString('hex'), s: s.s.toString('hex') } };
}

const output = () => {
  const { secret, r } = secretAndR();
  return new NativeOutput(lib, Amount.from(4), keyset.id, secret, r);
};

describe("the UC's swap outputs on libsecp256k1", () => {
  it("blind, check the mint's DLEQ proof and unblind exactly as cashu-ts's JS on the same secret and r", () => {
    for (let i = 0; i < 8; i++) {
      const { secret, r } = secretAndR();
      const ours = new NativeOutput(lib, Amount.from(4), keyset.id, secret, r);
      const rBig = BigInt(`0x${hex(r)}`);
      const theirs = new OutputData({ amount: Amount.from(4), B_: blindMessage(secret, rBig).B_.toHex(true), id: keyset.id }, rBig, secret);
      expect(ours.blindedMessage).toEqual(theirs.blindedMessage);
      expect(ours.blindingFactor).toBe(theirs.blindingFactor);
      const sig = signed(ours.blindedMessage.B_);
      const proof = ours.toProof(sig, keyset);
      expect(proof).toEqual(theirs.toProof(sig, keyset));
      expect(hasValidDleq(proof, keyset, { require: true })).toBe(true);
      // The mint's own check of the unblinded coin: C == k·hash_to_curve(secret).
      expect(mintKey.verify(hashToCurve(new TextEncoder().encode(proof.secret)), Buffer.from(proof.C, 'hex'))).toBe(true);
    }
  });

  it("unblinds a signature without a DLEQ proof as cashu-ts does, and refuses a wrong proof, another key's C_ or a point off the curve", () => {
    const o = output();
    const sig = signed(o.blindedMessage.B_);
    const { dleq: _, ...bare } = sig;
    expect(o.toProof(bare, keyset)).toEqual({ id: sig.id, amount: sig.amount, secret: new TextDecoder().decode(o.secret), C: o.toProof(sig, keyset).C });
    const flip = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
    expect(() => o.toProof({ ...sig, dleq: { ...sig.dleq!, e: flip(sig.dleq!.e) } }, keyset)).toThrow(CTSError);
    expect(() => o.toProof({ ...sig, dleq: { ...sig.dleq!, s: 'zz' } }, keyset)).toThrow(CTSError);
    const other = new SecretKey(new Uint8Array(randomBytes(32))).sign(Buffer.from(o.blindedMessage.B_, 'hex'));
    expect(() => o.toProof({ ...sig, C_: hex(other.C_), dleq: { e: other.e.toString('hex'), s: other.s.toString('hex') } }, keyset)).toThrow('DLEQ');
    expect(() => o.toProof({ ...bare, C_: `02${'00'.repeat(32)}` }, keyset)).toThrow(CTSError);
    expect(() => o.toProof({ ...sig, amount: Amount.from(8) }, keyset)).toThrow(CTSError);
  });

  it('makes one output per amount, each with its own 64-hex-digit secret and blinding factor', () => {
    const amounts = [8, 4, 1].map((a) => Amount.from(a));
    const outs = nativeOutputs(amounts, keyset.id)!;
    expect(outs.map((o) => Number(o.blindedMessage.amount))).toEqual([8, 4, 1]);
    expect(outs.every((o) => o.blindedMessage.id === keyset.id && /^[0-9a-f]{64}$/.test(new TextDecoder().decode(o.secret)))).toBe(true);
    expect(new Set(outs.map((o) => new TextDecoder().decode(o.secret))).size).toBe(3);
    expect(new Set(outs.map((o) => o.blindingFactor)).size).toBe(3);
  });
});
