import {
  Amount,
  createHTLCHash,
  createHTLCsecret,
  createP2PKsecret,
  schnorrSignMessage,
  signP2PKProof,
  type Proof,
} from '@cashu/cashu-ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { MintError } from './errors.js';
import { checkSpendingConditions, type ConditionInput } from './spending-conditions.js';

const C = '02' + '11'.repeat(32);
const outputs = [{ amount: 2, B_: '03' + '22'.repeat(32) }];

function key() {
  const sk = secp256k1.utils.randomSecretKey();
  return { sk: bytesToHex(sk), pk: bytesToHex(secp256k1.getPublicKey(sk, true)) };
}
const input = (secret: string, witness?: object): ConditionInput => ({
  amount: 2, id: '00'.repeat(8), secret, C, ...(witness ? { witness: JSON.stringify(witness) } : {}),
});
const signed = (secret: string, sk: string): ConditionInput => {
  const p = signP2PKProof({ id: '00'.repeat(8), amount: Amount.from(2), secret, C } as Proof, sk);
  return input(secret, p.witness as object);
};
const refused = (f: () => void) => expect(f).toThrow(MintError);
/** The refusal's detail; the code stays the spec's 10001 (proof verification failed). */
function detail(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MintError);
    expect((e as MintError).toJSON().code).toBe(10001);
    return (e as MintError).message;
  }
  throw new Error('not refused');
}
const accepted = (f: () => void) => expect(f).not.toThrow();

describe('NUT-10/11 spending conditions', () => {
  it('says which witness or signature is missing, without keys, signatures or secrets', () => {
    const [bob, carol] = [key(), key()];
    const secret = createP2PKsecret(bob.pk);
    const stranger = { signatures: [schnorrSignMessage(secret, key().sk)] };
    expect(detail(() => checkSpendingConditions([input('a'.repeat(64)), input(secret)], outputs)))
      .toBe('P2PK spending condition not met: input 1 has no witness; it needs 0 valid signature(s) of the 1 needed from the 1 locking key(s)');
    const wrong = detail(() => checkSpendingConditions([input(secret, stranger)], outputs));
    expect(wrong).toBe("P2PK spending condition not met: input 0's witness has 0 valid signature(s) of the 1 needed from the 1 locking key(s)");
    const multi = createP2PKsecret(bob.pk, [['pubkeys', carol.pk], ['n_sigs', '2'], ['locktime', String(2 ** 32)], ['refund', key().pk]]);
    expect(detail(() => checkSpendingConditions([signed(multi, bob.sk)], outputs))).toBe(
      "P2PK spending condition not met: input 0's witness has 1 valid signature(s) of the 2 needed from the 2 locking key(s); the refund path opens at the locktime",
    );
    const expired = createP2PKsecret(bob.pk, [['locktime', '1000'], ['refund', carol.pk]]);
    expect(detail(() => checkSpendingConditions([input(expired, stranger)], outputs))).toBe(
      "P2PK spending condition not met: input 0's witness has 0 valid signature(s) of the 1 needed from the 1 locking key(s); refund path: 0 valid signature(s) of the 1 needed from the 1 refund key(s)",
    );
    const tags: [string, string][] = [['sigflag', 'SIG_ALL']];
    const all = createP2PKsecret(bob.pk, tags);
    expect(detail(() => checkSpendingConditions([input(all, { signatures: [schnorrSignMessage('other', bob.sk)] })], outputs)))
      .toContain("input 0's witness (SIG_ALL: signatures over all inputs and outputs) has 0 valid signature(s) of the 1 needed");
    const { hash } = createHTLCHash();
    expect(detail(() => checkSpendingConditions([input(createHTLCsecret(hash), { preimage: '00'.repeat(32), signatures: [] })], outputs)))
      .toBe("HTLC spending condition not met: input 0's witness has no matching preimage of the hash lock");
    for (const d of [wrong]) for (const k of [bob.pk, carol.pk, secret, JSON.stringify(stranger)]) expect(d).not.toContain(k);
  });

  it('plain secrets and unknown kinds are anyone-can-spend', () => {
    accepted(() => checkSpendingConditions([input('a'.repeat(64)), input('["FOO",{"nonce":"1","data":"x"}]')], outputs));
  });

  it('P2PK SIG_INPUTS: needs a signature by the data key on the secret', () => {
    const bob = key();
    const secret = createP2PKsecret(bob.pk);
    refused(() => checkSpendingConditions([input(secret)], outputs));
    const stranger = { signatures: [schnorrSignMessage(secret, key().sk)] };
    refused(() => checkSpendingConditions([input(secret, stranger)], outputs));
    accepted(() => checkSpendingConditions([signed(secret, bob.sk)], outputs));
  });

  it('P2PK with an expired locktime and no refund keys is unlocked', () => {
    const secret = createP2PKsecret(key().pk, [['locktime', '1000']]);
    accepted(() => checkSpendingConditions([input(secret)], outputs));
  });

  it('P2PK malformed (duplicate tag) is refused', () => {
    const data = { nonce: '00', data: key().pk, tags: [['locktime', '1000'], ['locktime', '2000']] };
    const secret = JSON.stringify(['P2PK', data]);
    refused(() => checkSpendingConditions([input(secret)], outputs));
  });

  it('SIG_ALL: one signature on the first input over inputs, outputs and quote; mixed inputs refused', () => {
    const bob = key();
    const tags = [['sigflag', 'SIG_ALL']];
    const [s1, s2] = [createP2PKsecret(bob.pk, tags), createP2PKsecret(bob.pk, tags)];
    const message = `${s1}${C}${s2}${C}2${outputs[0]!.B_}quote-1`;
    const witness = { signatures: [schnorrSignMessage(message, bob.sk)] };
    accepted(() => checkSpendingConditions([input(s1, witness), input(s2)], outputs, 'quote-1'));
    refused(() => checkSpendingConditions([input(s1, witness), input(s2)], outputs, 'quote-2'));
    refused(() => checkSpendingConditions([input(s1, witness), input(s2)], [{ ...outputs[0]!, amount: 4 }], 'quote-1'));
    const other = createP2PKsecret(key().pk, tags);
    refused(() => checkSpendingConditions([input(s1, witness), input(other)], outputs, 'quote-1'));
    refused(() => checkSpendingConditions([input(s1, witness), input('b'.repeat(64))], outputs, 'quote-1'));
  });

  it('HTLC (NUT-14): the preimage unlocks it, a wrong one does not', () => {
    const { hash, preimage } = createHTLCHash();
    const secret = createHTLCsecret(hash);
    accepted(() => checkSpendingConditions([input(secret, { preimage, signatures: [] })], outputs));
    refused(() => checkSpendingConditions([input(secret, { preimage: '00'.repeat(32), signatures: [] })], outputs));
  });
});
