import { randomBytes } from 'node:crypto';
import { Amount, OutputData, hasValidDleq, type Proof } from '@cashu/cashu-ts';
import { describe, expect, it } from 'vitest';
import { SecretKey } from '../../../mint/native-curve.js';
import { secp256k1AddonOrNull } from '../../../curve-backends/index.js';
import { restoredProofs, restoreOutputs, type RestoreSignature } from './native-restore.js';

const lib = secp256k1AddonOrNull()!;
const seed = new Uint8Array(randomBytes(64));
const mintKey = new SecretKey(new Uint8Array(randomBytes(32)));
const keyset = { id: `01${'5a'.repeat(32)}`, unit: 'sat', active: true, keys: { 1: Buffer.from(mintKey.publicKey).toString('hex') } };
const START = 7;
const COUNT = 12;

/** The mint's answer to a restore of `outputs`: signatures for those at even positions (the others it never saw). */
function answer(outputs: readonly { B_: string }[]) {
  const seen = outputs.filter((_, i) => i % 2 === 0);
  const signatures: RestoreSignature[] = seen.map((o) => {
    const s = mintKey.sign(Buffer.from(o.B_, 'hex'));
    return { id: keyset.id, amount: Amount.from(1), C_: Buffer.from(s.C_).toString('hex'), dleq: { e: s.e.toString('hex'), s: s.s.toString('hex') } };
  });
  return { outputs: seen, signatures };
}

describe('the seed scan on libsecp256k1', () => {
  it('loads here (Node 20)', () => expect(lib).not.toBeNull());

  it('makes the outputs cashu-ts makes for the same counters, and the same proofs from the mint\'s answer', () => {
    const ours = restoreOutputs(lib, seed, keyset.id, START, COUNT);
    const theirs = OutputData.createDeterministicData(0, seed, START, keyset as never, Array(COUNT).fill(0) as never);
    expect(ours.map((o) => o.B_)).toEqual(theirs.map((o) => o.blindedMessage.B_));
    const mintAnswer = answer(ours);
    const proofs = restoredProofs(lib, ours, mintAnswer, keyset)!;
    const byB = new Map(mintAnswer.outputs.map((o, i) => [o.B_, mintAnswer.signatures[i]!]));
    const expected = theirs.filter((o) => byB.has(o.blindedMessage.B_)).map((o) => o.toProof(byB.get(o.blindedMessage.B_) as never, keyset as never));
    expect(proofs).toHaveLength(COUNT / 2);
    expect(proofs).toEqual(expected.map((p) => ({ id: p.id, amount: Number(p.amount), secret: p.secret, C: p.C, dleq: { e: p.dleq!.e, s: p.dleq!.s, r: String(p.dleq!.r) } })));
    for (const p of proofs) expect(hasValidDleq({ ...p, amount: Amount.from(p.amount) } as Proof, keyset as never, { require: true })).toBe(true);
  });

  it('refuses an answer with a wrong or missing DLEQ proof, an unknown amount or another keyset', () => {
    const outputs = restoreOutputs(lib, seed, keyset.id, 0, 4);
    const good = answer(outputs);
    const tamper = (f: (s: RestoreSignature) => RestoreSignature) => ({ ...good, signatures: [f(good.signatures[0]!), ...good.signatures.slice(1)] });
    const flip = (h: string) => (h[0] === '0' ? '1' : '0') + h.slice(1);
    expect(restoredProofs(lib, outputs, good, keyset)).toHaveLength(2);
    expect(restoredProofs(lib, outputs, tamper((s) => ({ ...s, dleq: { ...s.dleq!, s: flip(s.dleq!.s) } })), keyset)).toBeNull();
    expect(restoredProofs(lib, outputs, tamper((s) => ({ ...s, dleq: { ...s.dleq!, e: flip(s.dleq!.e) } })), keyset)).toBeNull();
    expect(restoredProofs(lib, outputs, tamper(({ dleq: _, ...s }) => s), keyset)).toBeNull();
    expect(restoredProofs(lib, outputs, tamper((s) => ({ ...s, amount: Amount.from(2) })), keyset)).toBeNull();
    expect(restoredProofs(lib, outputs, tamper((s) => ({ ...s, id: `01${'6b'.repeat(32)}` })), keyset)).toBeNull();
    // A C_ signed by another key, with that key's valid proof: a mint marking this household's coins.
    const other = new SecretKey(new Uint8Array(randomBytes(32))).sign(Buffer.from(outputs[0]!.B_, 'hex'));
    expect(restoredProofs(lib, outputs, tamper((s) => ({ ...s, C_: Buffer.from(other.C_).toString('hex'), dleq: { e: other.e.toString('hex'), s: other.s.toString('hex') } })), keyset)).toBeNull();
  });
});
