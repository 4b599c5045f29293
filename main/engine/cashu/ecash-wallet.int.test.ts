import { describe, expect, it, onTestFinished } from 'vitest';
import { createMint } from '../../../mint/index.js';
import { startSocksHop } from '../socks-hop/index.js';
import { checkInvariants, coinCounts, getMeta, openWalletDb, setMeta, unspentProofs } from '../wallet/index.js';
import { EcashWallet } from './index.js';

async function setup() {
  const mint = await createMint({ dbPath: ':memory:' });
  const mintUrl = await mint.listen(0, '127.0.0.1');
  let mintConnections = 0;
  mint.app.server.on('connection', () => mintConnections++);
  const hop = await startSocksHop();
  const db = openWalletDb(':memory:');
  onTestFinished(async () => { db.close(); await hop.close(); await mint.close(); });
  return { mint, mintUrl, hop, db, mintConnections: () => mintConnections };
}

describe('e-cash wallet against the real mint, through the SOCKS hop', () => {
  it('tops up with progress, keeps a stock of 1-unit proofs, and reaches the mint only through the hop', async () => {
    const { mint, mintUrl, hop, db, mintConnections } = await setup();
    const ecash = new EcashWallet({ db, mintUrl, unit: mint.unit, route: () => hop });
    const steps: string[] = [];
    const done = await ecash.topUp(21, (p) => steps.push(p.state));
    expect(steps).toEqual(['quoted', 'paid', 'minted']);
    expect(done.balance).toBe(21);
    expect(done.request).toMatch(/^lnbcrt210n1/); // the invoice the mint made, 21 sat, kept with the top-up
    expect(done.expiry).toBeGreaterThan(Date.now() / 1000);
    expect(coinCounts(db)).toEqual({ balance: 21, stock: 21, reserved: 0, spent: 0 });
    expect(mintConnections()).toBe(hop.log.length);
    expect(new Set(hop.log.map((c) => c.username)).size).toBe(hop.log.length);
    const coin = ecash.encodeCoin(unspentProofs(db)[0]!);
    expect(coin.startsWith('cashuB')).toBe(true);
    expect((await ecash.spentSecrets(unspentProofs(db))).size).toBe(0);
    const counters = db.prepare('SELECT next FROM cashu_counters').all() as { next: number }[];
    expect(counters.reduce((s, c) => s + c.next, 0)).toBeGreaterThanOrEqual(21); // NUT-13 counters persisted
    checkInvariants(db);
  });

  it('a top-up above a split batch (600: a proof of 512) ends as 1-unit proofs, all restored from the seed phrase alone', async () => {
    const { mint, mintUrl, hop, db } = await setup();
    await new EcashWallet({ db, mintUrl, unit: mint.unit, route: () => hop }).topUp(600);
    expect(coinCounts(db)).toEqual({ balance: 600, stock: 600, reserved: 0, spent: 0 });
    const rebuilt = openWalletDb(':memory:');
    onTestFinished(() => void rebuilt.close());
    setMeta(rebuilt, 'seed-phrase', getMeta(db, 'seed-phrase')!);
    const ecash = new EcashWallet({ db: rebuilt, mintUrl, unit: mint.unit, route: () => hop });
    const scan = await ecash.scanSeed(() => {}, async () => {});
    expect(coinCounts(rebuilt).balance).toBe(0); // the scan writes nothing
    expect(await ecash.storeRestored(scan, () => {})).toMatchObject({ unspent: 600 });
    expect(coinCounts(rebuilt)).toEqual({ balance: 600, stock: 600, reserved: 0, spent: 0 });
    expect(new Set(unspentProofs(rebuilt).map((p) => p.secret))).toEqual(new Set(unspentProofs(db).map((p) => p.secret)));
    await ecash.topUp(1); // the counters are past every output of the lost wallet: the mint signs the new ones
    checkInvariants(rebuilt);
  });

  it('fails closed: with no proxy the mint sees no connection', async () => {
    const { mint, mintUrl, db, mintConnections } = await setup();
    const ecash = new EcashWallet({ db, mintUrl, unit: mint.unit, route: () => null });
    await expect(ecash.topUp(4)).rejects.toMatchObject({ code: 'proxy-refused' });
    expect(mintConnections()).toBe(0);
    expect(coinCounts(db).balance).toBe(0);
  });
});
