// cashu-ts against the mint with input fees in a fiat unit (NUT-02), NUT-20 locked quotes and NUT-11 P2PK.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { getEncodedToken, isMintOperationError, sumProofs, Wallet, type OutputConfig, type Proof } from '@cashu/cashu-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMint, type Mint } from './index.js';
import { blanks, fetchCall } from './test-wallet.js';

let dir: string;
let mint: Mint;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mint-fees-'));
  mint = await createMint({ dbPath: join(dir, 'mint.sqlite'), unit: 'eur', inputFeePpk: 400 });
  url = await mint.listen(0);
});
afterAll(async () => {
  await mint.close();
  rmSync(dir, { recursive: true, force: true });
});

const total = (proofs: Proof[]) => sumProofs(proofs).toNumber();
const wire = (p: Proof) => ({ amount: p.amount.toNumber(), id: p.id, secret: p.secret, C: p.C });

async function wallet(): Promise<Wallet> {
  const w = new Wallet(url, { unit: 'eur' });
  await w.loadMint();
  return w;
}

async function minted(w: Wallet, amount: number): Promise<Proof[]> {
  return w.mintProofsBolt11(amount, await w.createMintQuoteBolt11(amount));
}

function keypair() {
  const sk = secp256k1.utils.randomSecretKey();
  return { sk: bytesToHex(sk), pk: bytesToHex(secp256k1.getPublicKey(sk, true)) };
}

describe('input fees in eur cents', () => {
  it('keysets announce the fee; swaps must pay ceil(Σ ppk / 1000)', async () => {
    const { body } = await fetchCall(url)('GET', '/v1/keysets');
    expect(body.keysets).toEqual([{ id: mint.keysetId, unit: 'eur', active: true, input_fee_ppk: 400, final_expiry: null }]);
    const alice = await wallet();
    const proofs = await minted(alice, 16);
    // Three inputs cost ceil(1200/1000) = 2 cents: a swap that ignores the fee is refused...
    const three = (await alice.send(7, proofs, { includeFees: false }, { send: { type: 'random', denominations: [4, 2, 1] } } as OutputConfig)).send;
    const refused = await fetchCall(url)('POST', '/v1/swap', { inputs: three.map(wire), outputs: blanks(mint.keysetId, [4, 2, 1]).map((b) => b.output) });
    expect(refused.body.code).toBe(11005);
    // ...and one that pays it goes through, with cashu-ts doing the arithmetic.
    const bob = await wallet();
    const received = await bob.receive(getEncodedToken({ mint: url, proofs: three, unit: 'eur' }));
    expect(total(received)).toBe(5);
  });
});

describe('NUT-20 locked mint quotes', () => {
  it('mints with the quote key, refuses without a signature (20008)', async () => {
    const alice = await wallet();
    const key = keypair();
    const quote = await alice.createLockedMintQuote(8, key.pk);
    expect(quote.pubkey).toBe(key.pk);
    const unsigned = await fetchCall(url)('POST', '/v1/mint/bolt11', { quote: quote.quote, outputs: blanks(mint.keysetId, [8]).map((b) => b.output) });
    expect(unsigned.body.code).toBe(20008);
    expect(total(await alice.mintProofsBolt11(8, quote, { privkey: key.sk }))).toBe(8);
  });
});

describe('NUT-11 P2PK', () => {
  for (const sigFlag of ['SIG_INPUTS', 'SIG_ALL'] as const) {
    it(`${sigFlag}: only the key holder can receive locked ecash`, async () => {
      const alice = await wallet();
      const bob = keypair();
      const proofs = await minted(alice, 16);
      const { send } = await alice.send(4, proofs, { includeFees: true }, {
        send: { type: 'p2pk', options: { pubkey: bob.pk, sigFlag } },
      } as OutputConfig);
      const token = getEncodedToken({ mint: url, proofs: send, unit: 'eur' });
      const thief = await (await wallet()).receive(token).catch((e: unknown) => e);
      expect(isMintOperationError(thief) ? thief.code : thief).toBe(10001);
      const received = await (await wallet()).receive(token, { privkey: bob.sk });
      expect(total(received)).toBe(4);
    });
  }
});
