// The mint survives a restart on its SQLite file: same keys, spent stays spent, open quotes still get paid.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMint, type MintOptions } from './index.js';
import { blanks, mintProofs, unblind, type Call } from './test-wallet.js';

function database(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mint-restart-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'mint.sqlite');
}

async function open(dbPath: string, options: Partial<MintOptions> = {}) {
  const mint = await createMint({ dbPath, ...options });
  onTestFinished(() => mint.close());
  const call: Call = async (method, url, body) => {
    const r = await mint.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, body: r.json() };
  };
  return { mint, call };
}

describe('restart on the same database', () => {
  it('keeps the keyset, the spent proofs, and pays quotes left open (auto mode)', async () => {
    const dbPath = database();
    const before = await open(dbPath, { fakePayDelayMs: 600_000 });
    const foreign = await mintProofs((await open(':memory:')).call, [1]); // another mint's proof
    const { body: open1 } = await before.call('POST', '/v1/mint/quote/bolt11', { amount: 2, unit: 'sat' });
    expect(open1.state).toBe('UNPAID');
    const { body: q } = await before.call('POST', '/v1/mint/quote/bolt11', { amount: 4, unit: 'sat' });
    await before.mint.close();

    const after = await open(dbPath);
    expect(after.mint.keysetId).toBe(before.mint.keysetId);
    await new Promise((r) => setTimeout(r, 20));
    expect((await after.call('GET', `/v1/mint/quote/bolt11/${open1.quote}`)).body.state).toBe('PAID');
    const outputs = blanks(after.mint.keysetId, [4]).map((b) => b.output);
    expect((await after.call('POST', '/v1/mint/bolt11', { quote: q.quote, outputs })).status).toBe(200);
    // A proof of another mint's keyset is unknown here.
    expect((await after.call('POST', '/v1/swap', { inputs: foreign, outputs: blanks(after.mint.keysetId, [1]).map((b) => b.output) })).body.code).toBe(12001);
  });

  it('spent proofs stay spent; manual mode can still pay a quote made before the restart', async () => {
    const dbPath = database();
    const before = await open(dbPath, { fakePay: 'manual' });
    const { body: q } = await before.call('POST', '/v1/mint/quote/bolt11', { amount: 1, unit: 'sat' });
    before.mint.payMintQuote(q.quote);
    const bl = blanks(before.mint.keysetId, [1]);
    const { body: minted } = await before.call('POST', '/v1/mint/bolt11', { quote: q.quote, outputs: bl.map((b) => b.output) });
    const [proof] = unblind(minted.signatures, bl, (await before.call('GET', '/v1/keys')).body.keysets[0].keys);
    const spend = { inputs: [proof], outputs: blanks(before.mint.keysetId, [1]).map((b) => b.output) };
    expect((await before.call('POST', '/v1/swap', spend)).status).toBe(200);
    const { body: open2 } = await before.call('POST', '/v1/mint/quote/bolt11', { amount: 1, unit: 'sat' });
    await before.mint.close();

    const after = await open(dbPath, { fakePay: 'manual' });
    const again = { inputs: [proof], outputs: blanks(after.mint.keysetId, [1]).map((b) => b.output) };
    expect((await after.call('POST', '/v1/swap', again)).body.code).toBe(11001);
    expect((await after.call('GET', `/v1/mint/quote/bolt11/${open2.quote}`)).body.state).toBe('UNPAID');
    after.mint.payMintQuote(open2.quote);
    expect((await after.call('GET', `/v1/mint/quote/bolt11/${open2.quote}`)).body.state).toBe('PAID');
  });
});
