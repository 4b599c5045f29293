// Interop walk: the real @cashu/cashu-ts Wallet over real HTTP against this mint on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  getEncodedToken,
  hasValidDleq,
  isMintOperationError,
  sumProofs,
  Wallet,
  type Proof,
} from '@cashu/cashu-ts';
import lightBolt11 from 'light-bolt11-decoder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMint, type Mint } from './index.js';

let dir: string;
let mint: Mint;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mint-interop-'));
  mint = await createMint({ dbPath: join(dir, 'mint.sqlite') });
  url = await mint.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await mint.close();
  rmSync(dir, { recursive: true, force: true });
});

const total = (proofs: Proof[]) => sumProofs(proofs).toNumber();

async function wallet(seed?: Uint8Array): Promise<Wallet> {
  const w = new Wallet(url, { unit: 'sat', requireSigDleq: true, ...(seed ? { bip39seed: seed } : {}) });
  await w.loadMint();
  return w;
}

describe('cashu-ts Wallet against the mint', () => {
  it('mints, splits, sends, receives, refuses a second spend, and restores from the seed', async () => {
    const seed = randomBytes(64);
    const alice = await wallet(seed);
    const keyset = alice.getKeyset();
    expect(keyset.id).toBe(mint.keysetId);

    // NUT-04/23: the quote is paid at creation by FakeLightning, and its invoice says 64 sat.
    const quote = await alice.createMintQuoteBolt11(64);
    expect(quote.state).toBe('PAID');
    const amount = lightBolt11.decode(quote.request).sections.find((s) => s.name === 'amount');
    expect(amount?.value).toBe('64000');
    const minted = await alice.mintProofsBolt11(64, quote);
    expect(total(minted)).toBe(64);
    expect((await alice.checkMintQuoteBolt11(quote.quote)).state).toBe('ISSUED');

    // NUT-12: every signature carried a DLEQ proof (requireSigDleq), and the proofs keep it for Carol.
    for (const p of minted) expect(hasValidDleq(p, keyset)).toBe(true);

    // NUT-03: split 10 sat into 1-sat proofs and send them.
    const { keep, send } = await alice.send(10, minted, {}, {
      send: { ...alice.defaultOutputType(), denominations: Array(10).fill(1) },
    } as Parameters<Wallet['send']>[3]);
    expect(send.map((p) => p.amount.toNumber())).toEqual(Array(10).fill(1));
    expect(total(keep)).toBe(54);
    const token = getEncodedToken({ mint: url, proofs: send, unit: 'sat' });

    const bob = await wallet();
    const received = await bob.receive(token);
    expect(total(received)).toBe(10);
    for (const p of received) expect(hasValidDleq(p, keyset)).toBe(true);

    // NUT-07: the sent proofs are spent, the kept ones are not.
    const sentStates = await alice.checkProofsStates(send);
    expect(sentStates.map((s) => s.state)).toEqual(Array(10).fill('SPENT'));
    const keptStates = await alice.checkProofsStates(keep);
    expect(new Set(keptStates.map((s) => s.state))).toEqual(new Set(['UNSPENT']));

    // A second spend of the same proofs is refused with NUT code 11001.
    const carol = await wallet();
    const second = await carol.receive(token).catch((e: unknown) => e);
    expect(isMintOperationError(second)).toBe(true);
    expect((second as { code: number }).code).toBe(11001);

    // NUT-09/13: a new wallet on the same seed finds every signature and, after checkstate, the 54 unspent sat.
    const restorer = await wallet(seed);
    const { proofs: restored } = await restorer.batchRestore(20, 20);
    const states = await restorer.checkProofsStates(restored);
    const unspent = restored.filter((_, i) => states[i]?.state === 'UNSPENT');
    expect(total(unspent)).toBe(54);
    expect(new Set(unspent.map((p) => p.secret))).toEqual(new Set(keep.map((p) => p.secret)));
  });

  it('melts through FakeLightning, paying its own invoice, with NUT-08 change: the reserve less the routing fee', async () => {
    const alice = await wallet();
    const proofs = await alice.mintProofsBolt11(32, await alice.createMintQuoteBolt11(32));
    const target = await alice.createMintQuoteBolt11(5);
    const meltQuote = await alice.createMeltQuoteBolt11(target.request);
    expect(meltQuote.amount.toNumber()).toBe(5);
    expect(meltQuote.fee_reserve.toNumber()).toBe(2);
    const { quote, change } = await alice.meltProofsBolt11(meltQuote, proofs);
    expect(quote.state).toBe('PAID');
    expect(total(change)).toBe(32 - 5 - 1); // FakeLightning's routing fee of 1 spent out of the reserve of 2
    expect((await alice.checkMintQuoteBolt11(target.quote)).state).toBe('PAID');
  });
});
