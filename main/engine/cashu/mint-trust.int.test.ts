import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMint, type MintOptions } from '../../../mint/index.js';
import { startSocksHop } from '../socks-hop/index.js';
import { checkInvariants, coinCounts, getMeta, openWalletDb, setMeta, unspentProofs } from '../wallet/index.js';
import { EcashWallet, type EcashWalletOptions } from './index.js';

/** The project's mint on one ledger file, honest or in a DLEQ test mode, reached through a SOCKS hop. */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-dleq-'));
  const hop = await startSocksHop();
  const db = openWalletDb(':memory:');
  const mints: { close(): Promise<void> }[] = [];
  onTestFinished(async () => { db.close(); await hop.close(); for (const m of mints) await m.close(); rmSync(dir, { recursive: true, force: true }); });
  const mintAt = async (o: Partial<MintOptions> = {}, port = 0) => {
    const mint = await createMint({ dbPath: join(dir, 'mint.sqlite'), ...o });
    mints.push(mint);
    const mintUrl = await mint.listen(port, '127.0.0.1');
    return { mint, mintUrl, wallet: (wdb = db, more: Partial<EcashWalletOptions> = {}) => new EcashWallet({ db: wdb, mintUrl, unit: mint.unit, route: () => hop, ...more }) };
  };
  return { db, mintAt };
}

describe('every mint signature carries a valid DLEQ proof (NUT-12), or its outputs are not counted', () => {
  for (const mode of ['omit', 'forge'] as const) {
    it(`a mint that ${mode === 'omit' ? 'omits' : 'forges'} the DLEQ: top-up, reclaim (swap) and restore refused with 'dleq-invalid'`, async () => {
      const { db, mintAt } = await setup();
      const honest = await mintAt();
      await honest.wallet().topUp(2);
      expect(coinCounts(db).balance).toBe(2);
      await honest.mint.close();
      const liar = await mintAt({ dleqTestMode: mode });
      const ecash = liar.wallet();

      await expect(ecash.topUp(3)).rejects.toMatchObject({ code: 'dleq-invalid', message: expect.stringMatching(/without a valid DLEQ proof/) });
      expect(coinCounts(db).balance).toBe(2); // the top-up's outputs are not counted

      let stored: unknown = null;
      await expect(ecash.reclaim(unspentProofs(db)[0]!, (fresh) => (stored = fresh))).rejects.toMatchObject({ code: 'dleq-invalid' });
      expect(stored).toBeNull(); // the swap's outputs never reach the caller's bookkeeping
      expect(coinCounts(db).balance).toBe(2);
      checkInvariants(db);

      const rebuilt = openWalletDb(':memory:');
      onTestFinished(() => void rebuilt.close());
      setMeta(rebuilt, 'seed-phrase', getMeta(db, 'seed-phrase')!);
      await expect(liar.wallet(rebuilt).scanSeed(() => {}, async () => {})).rejects.toMatchObject({ code: 'dleq-invalid' });
      expect(coinCounts(rebuilt).balance).toBe(0);
    });
  }

  it('the honest mint: every stored proof came with a DLEQ that verifies, and none travels in a coin', async () => {
    const { db, mintAt } = await setup();
    const ecash = (await mintAt()).wallet();
    await ecash.topUp(5);
    const proofs = unspentProofs(db);
    expect(proofs).toHaveLength(5);
    expect(proofs.every((p) => /^[0-9a-f]{64}$/.test(p.dleq?.e ?? '') && /^[0-9a-f]{64}$/.test(p.dleq?.s ?? '') && p.dleq?.r !== undefined)).toBe(true);
    const coin = ecash.encodeCoin(proofs[0]!);
    expect(coin).not.toContain(proofs[0]!.dleq?.s ?? 'no dleq stored'); // removeDleq: the r would link the coin to its top-up
  });
});

describe("the mint's keysets", () => {
  it("the mint's active keysets are pinned at first contact; a rotation the mint announces is followed and said", async () => {
    const { db, mintAt } = await setup();
    const first = await mintAt();
    await first.wallet().topUp(2);
    expect(JSON.parse(getMeta(db, 'mint-keysets')!)).toEqual({ url: first.mintUrl, ids: [first.mint.keysetId] });
    await first.mint.close();
    const rotated = await mintAt({ maxOrder: 16 }, Number(new URL(first.mintUrl).port)); // the same mint, other keyset parameters: a new active keyset, the old one inactive
    expect(rotated.mint.keysetId).not.toBe(first.mint.keysetId);
    const rotations: string[][][] = [];
    const ecash = rotated.wallet(db, { onKeysetRotation: (from, to) => rotations.push([from, to]) });
    await ecash.topUp(3);
    expect(rotations).toEqual([[[first.mint.keysetId], [rotated.mint.keysetId]]]);
    expect(coinCounts(db).balance).toBe(5);
    expect(new Set(unspentProofs(db).map((p) => p.id))).toEqual(new Set([first.mint.keysetId, rotated.mint.keysetId]));
  });
});
