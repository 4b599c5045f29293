// The mint under abuse, over real HTTP: quote creation is bounded, expired quotes make room again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMint, type Mint } from './index.js';
import { fetchCall, type Call } from './test-wallet.js';

let mint: Mint;
let call: Call;
beforeAll(async () => {
  mint = await createMint({ dbPath: ':memory:', maxOpenQuotes: 3, quoteTtlSeconds: 1, fakePay: 'manual' });
  call = fetchCall(await mint.listen(0));
});
afterAll(() => mint?.close());

describe('quote creation', () => {
  it('keeps at most maxOpenQuotes unpaid quotes open; a paid or expired one frees its place', async () => {
    const quote = () => call('POST', '/v1/mint/quote/bolt11', { amount: 1, unit: 'sat' });
    const open = await Promise.all([quote(), quote(), quote()]);
    expect(open.map((q) => q.status)).toEqual([200, 200, 200]);
    expect(await quote()).toMatchObject({ status: 400, body: { code: 10000, detail: expect.stringMatching(/too many unpaid mint quotes/) } });
    mint.payMintQuote(open[0]!.body.quote);
    expect((await quote()).status).toBe(200); // the paid one is no longer open
    await new Promise((r) => setTimeout(r, 2_100)); // every unpaid quote (1 s) has expired
    expect((await Promise.all([quote(), quote(), quote()])).map((q) => q.status)).toEqual([200, 200, 200]);
    expect((await call('GET', `/v1/mint/quote/bolt11/${open[0]!.body.quote}`)).body.state).toBe('PAID'); // paid ones stay
  });
});
