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
const accepted = (f: () => void) => expect(f).not.toThrow();

describe('NUT-10/11 spending conditions', () => {
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
