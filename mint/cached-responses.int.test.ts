// NUT-19 over real HTTP: the same swap or mint request again gets the same answer (a lost answer can be asked for
// again), a different one is judged on its own, and /v1/info says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMint, type Mint } from './index.js';
import { blanks, fetchCall, mintProofs, type Call } from './test-wallet.js';

let mint: Mint;
let call: Call;
beforeAll(async () => {
  mint = await createMint({ dbPath: ':memory:', cachedResponses: { ttlSeconds: 3600, maxBytes: 4096 } });
  call = fetchCall(await mint.listen(0));
});
afterAll(() => mint?.close());

describe('NUT-19 cached responses', () => {
  it('is announced in /v1/info with its TTL and the swap and mint routes', async () => {
    expect((await call('GET', '/v1/info')).body.nuts['19']).toEqual({
      ttl: 3600,
      cached_endpoints: [{ method: 'POST', path: '/v1/swap' }, { method: 'POST', path: '/v1/mint/bolt11' }],
    });
  });

  it('answers a repeated swap with the first answer, where the mint would otherwise say "already spent"', async () => {
    const inputs = await mintProofs(call, [4, 1]);
    const request = { inputs, outputs: blanks(mint.keysetId, [4, 1]).map((b) => b.output) };
    const first = await call('POST', '/v1/swap', request);
    expect(first.status).toBe(200);
    expect(await call('POST', '/v1/swap', request)).toEqual(first);
    // The same inputs with other outputs are a new request: spent.
    const other = await call('POST', '/v1/swap', { inputs, outputs: blanks(mint.keysetId, [4, 1]).map((b) => b.output) });
    expect(other).toMatchObject({ status: 400, body: { code: 11001 } });
  });

  it('answers a repeated mint with the first answer, where the mint would otherwise say "already issued"', async () => {
    const { body: quote } = await call('POST', '/v1/mint/quote/bolt11', { amount: 2, unit: 'sat' });
    const request = { quote: quote.quote, outputs: blanks(mint.keysetId, [2]).map((b) => b.output) };
    const first = await call('POST', '/v1/mint/bolt11', request);
    expect(first.status).toBe(200);
    expect(await call('POST', '/v1/mint/bolt11', request)).toEqual(first);
    expect((await call('POST', '/v1/mint/bolt11', { ...request, outputs: blanks(mint.keysetId, [2]).map((b) => b.output) })).body.code).toBe(20002);
  });

  it('keeps no refusal, and keeps at most maxBytes of answers (the oldest go first)', async () => {
    const refused = { inputs: await mintProofs(call, [1]), outputs: blanks(mint.keysetId, [2]).map((b) => b.output) };
    expect((await call('POST', '/v1/swap', refused)).status).toBe(400); // outputs worth more than the inputs
    const requests = [];
    for (let i = 0; i < 24; i++) { // 24 answers of ~250 bytes each: more than 4096 bytes
      const r = { inputs: await mintProofs(call, [1]), outputs: blanks(mint.keysetId, [1]).map((b) => b.output) };
      expect((await call('POST', '/v1/swap', r)).status).toBe(200);
      requests.push(r);
    }
    expect((await call('POST', '/v1/swap', requests[0])).body.code).toBe(11001); // forgotten: judged again, spent
    expect((await call('POST', '/v1/swap', requests[23])).status).toBe(200); // still kept
  });
});
