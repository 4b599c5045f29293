// The mint end to end through app.inject() on an in-memory database: quotes, melts and their failure paths,
// restore, key rotation, and a fuzz run over every route.
import Database from 'better-sqlite3';
import { hashToCurve } from '@cashu/cashu-ts';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { migrateMintDb, openMintDb, SCHEMA_VERSION } from './db.js';
import { createMint, FakeLightning, type LightningBackend, type MintOptions, type PaymentResult } from './index.js';
import { Keysets } from './keysets.js';
import { changeAmounts } from './melts.js';
import { uuidv7 } from './quotes.js';
import { blanks, mintProofs, type Call } from './test-wallet.js';

async function start(options: Partial<MintOptions> = {}) {
  const mint = await createMint({ dbPath: ':memory:', ...options });
  onTestFinished(() => mint.close());
  const call: Call = async (method, url, body) => {
    const r = await mint.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, body: r.json() };
  };
  return { mint, call };
}

/** A backend whose payments end as `outcome` (a throw stands for a node that stopped answering). */
function backendThat(outcome: PaymentResult | 'throws'): LightningBackend {
  return new (class extends FakeLightning {
    override async pay(): Promise<PaymentResult> {
      if (outcome === 'throws') throw new Error('node unreachable');
      return outcome;
    }
  })();
}

const ysOf = (proofs: { secret: string }[]) => proofs.map((p) => hashToCurve(utf8ToBytes(p.secret)).toHex(true));

describe('info (NUT-06)', () => {
  it('lets browser wallets on other origins call it (CORS, preflight included)', async () => {
    const { mint } = await start();
    const preflight = await mint.app.inject({ method: 'OPTIONS', url: '/v1/swap', headers: { origin: 'https://wallet.example', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST');
    const info = await mint.app.inject({ method: 'GET', url: '/v1/info', headers: { origin: 'https://wallet.example' } });
    expect(info.headers['access-control-allow-origin']).toBe('*');
  });

  it('announces the unit, the bolt11 limits and the supported NUTs', async () => {
    const { call } = await start({ unit: 'eur', maxAmount: 5000 });
    const { body } = await call('GET', '/v1/info');
    expect(body.nuts['4'].methods).toEqual([{ method: 'bolt11', unit: 'eur', min_amount: 1, max_amount: 5000, options: { description: true } }]);
    expect(body.nuts['17'].supported[0].commands).toEqual(['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state']);
    for (const nut of ['7', '8', '9', '10', '11', '12', '14', '20']) expect(body.nuts[nut]).toEqual({ supported: true });
  });
});

describe('swap (NUT-03)', () => {
  it('checks many proofs of one amount together, and one bad proof among them fails the swap (10001)', async () => {
    const { mint, call } = await start();
    const proofs = await mintProofs(call, Array(8).fill(1));
    const outputs = () => blanks(mint.keysetId, [8]).map((b) => b.output);
    const forged = proofs.map((p, i) => (i === 5 ? { ...p, C: proofs[4]!.C } : p));
    expect((await call('POST', '/v1/swap', { inputs: forged, outputs: outputs() })).body.code).toBe(10001);
    const swapped = proofs.map((p, i) => (i === 2 ? { ...p, secret: proofs[3]!.secret + '0' } : p));
    expect((await call('POST', '/v1/swap', { inputs: swapped, outputs: outputs() })).body.code).toBe(10001);
    expect((await call('POST', '/v1/swap', { inputs: proofs, outputs: outputs() })).status).toBe(200);
  });
});

describe('mint quotes (NUT-04)', () => {
  it('issue once: a second mint on the quote is 20002, a wrong sum 11005', async () => {
    const { mint, call } = await start();
    const { body: q } = await call('POST', '/v1/mint/quote/bolt11', { amount: 3, unit: 'sat' });
    expect(q).toMatchObject({ amount: 3, unit: 'sat', state: 'PAID' });
    expect(q.quote).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const wrong = await call('POST', '/v1/mint/bolt11', { quote: q.quote, outputs: blanks(mint.keysetId, [4]).map((b) => b.output) });
    expect(wrong.body.code).toBe(11005);
    const outputs = blanks(mint.keysetId, [2, 1]).map((b) => b.output);
    expect((await call('POST', '/v1/mint/bolt11', { quote: q.quote, outputs })).status).toBe(200);
    const again = await call('POST', '/v1/mint/bolt11', { quote: q.quote, outputs: blanks(mint.keysetId, [2, 1]).map((b) => b.output) });
    expect(again.body.code).toBe(20002);
  });
});

describe('melts (NUT-05/08)', () => {
  it('a failed payment gives the inputs back (UNSPENT) and answers 20004', async () => {
    const { call } = await start({ lightning: backendThat({ state: 'FAILED' }) });
    const proofs = await mintProofs(call, [8]);
    const invoice = (await call('POST', '/v1/mint/quote/bolt11', { amount: 5, unit: 'sat' })).body.request;
    const { body: mq } = await call('POST', '/v1/melt/quote/bolt11', { request: invoice, unit: 'sat' });
    expect(mq).toMatchObject({ amount: 5, fee_reserve: 2, state: 'UNPAID', payment_preimage: null }); // the reference mints' least
    expect((await call('POST', '/v1/melt/bolt11', { quote: mq.quote, inputs: proofs })).body.code).toBe(20004);
    expect((await call('POST', '/v1/checkstate', { Ys: ysOf(proofs) })).body.states[0].state).toBe('UNSPENT');
    expect((await call('GET', `/v1/melt/quote/bolt11/${mq.quote}`)).body.state).toBe('UNPAID');
  });

  it('an unknown outcome keeps inputs PENDING: spending them elsewhere is 11002', async () => {
    const { mint, call } = await start({ lightning: backendThat('throws') });
    const proofs = await mintProofs(call, [16]);
    const invoice = (await call('POST', '/v1/mint/quote/bolt11', { amount: 8, unit: 'sat' })).body.request;
    const { body: mq } = await call('POST', '/v1/melt/quote/bolt11', { request: invoice, unit: 'sat' });
    expect((await call('POST', '/v1/melt/bolt11', { quote: mq.quote, inputs: proofs })).body.state).toBe('PENDING');
    expect((await call('POST', '/v1/checkstate', { Ys: ysOf(proofs) })).body.states[0].state).toBe('PENDING');
    const swap = await call('POST', '/v1/swap', { inputs: proofs, outputs: blanks(mint.keysetId, [16]).map((b) => b.output) });
    expect(swap.body.code).toBe(11002);
    expect((await call('POST', '/v1/melt/bolt11', { quote: mq.quote, inputs: proofs })).body.code).toBe(20005);
  });

  it('pays an invoice at most once, even through two melt quotes (20006)', async () => {
    const { call } = await start();
    const [a, b] = [await mintProofs(call, [8]), await mintProofs(call, [8])];
    const invoice = (await call('POST', '/v1/mint/quote/bolt11', { amount: 4, unit: 'sat' })).body.request;
    const q1 = (await call('POST', '/v1/melt/quote/bolt11', { request: invoice, unit: 'sat' })).body.quote;
    const q2 = (await call('POST', '/v1/melt/quote/bolt11', { request: invoice, unit: 'sat' })).body.quote;
    expect((await call('POST', '/v1/melt/bolt11', { quote: q1, inputs: a })).body.state).toBe('PAID');
    expect((await call('POST', '/v1/melt/bolt11', { quote: q1, inputs: b })).body.code).toBe(20006);
    expect((await call('POST', '/v1/melt/bolt11', { quote: q2, inputs: b })).body.code).toBe(20006);
    expect((await call('POST', '/v1/checkstate', { Ys: ysOf(b) })).body.states[0].state).toBe('UNSPENT');
  });

  it('returns the fee reserve less the routing fee as change in the blank outputs, largest pieces kept', async () => {
    const { mint, call } = await start({ fakeFeeReserve: 6, fakeRoutingFee: 2 });
    const proofs = await mintProofs(call, [16]);
    const invoice = (await call('POST', '/v1/mint/quote/bolt11', { amount: 3, unit: 'sat' })).body.request;
    const { body: mq } = await call('POST', '/v1/melt/quote/bolt11', { request: invoice, unit: 'sat' });
    const outputs = blanks(mint.keysetId, [1, 1, 1]).map((b) => b.output);
    const { body } = await call('POST', '/v1/melt/bolt11', { quote: mq.quote, inputs: proofs, outputs });
    expect(body.state).toBe('PAID');
    expect(body.change.map((c: { amount: number }) => c.amount)).toEqual([1, 2, 8]); // 16 − 3 − 2 = 11
    expect((await call('GET', `/v1/melt/quote/bolt11/${mq.quote}`)).body.change).toEqual(body.change);
    expect(changeAmounts(13, 2, 2 ** 31)).toEqual([4, 8]);
  });

  it('FakeLightning as the reference mints\' fake wallets: fee reserve ≥ 2 or 1 %, a routing fee, delays, networks', async () => {
    const { mint, call } = await start({ fakeMeltDelayMs: 300 });
    const proofs = await mintProofs(call, [2048]);
    const invoice = (await call('POST', '/v1/mint/quote/bolt11', { amount: 1000, unit: 'sat' })).body.request as string;
    expect(invoice.startsWith('lnbcrt10u1')).toBe(true);
    const { body: mq } = await call('POST', '/v1/melt/quote/bolt11', { request: invoice, unit: 'sat' });
    expect(mq.fee_reserve).toBe(10); // 1 % of 1000, more than 2
    const melt = call('POST', '/v1/melt/bolt11', { quote: mq.quote, inputs: proofs, outputs: blanks(mint.keysetId, Array(12).fill(1)).map((b) => b.output) });
    // During the payment's delay the inputs are PENDING, as with a real node.
    for (let i = 0; i < 50 && (await call('POST', '/v1/checkstate', { Ys: ysOf(proofs) })).body.states[0].state !== 'PENDING'; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await call('POST', '/v1/checkstate', { Ys: ysOf(proofs) })).body.states[0].state).toBe('PENDING');
    const { body } = await melt;
    expect(body.state).toBe('PAID');
    const change = body.change.reduce((s: number, c: { amount: number }) => s + c.amount, 0);
    expect(change).toBe(2048 - 1000 - 1); // the routing fee (1) spent, 9 of the reserve back
    expect(change).toBeLessThan(2048 - 1000);
    const prefixes = { regtest: 'lnbcrt', testnet: 'lntb', signet: 'lntbs', mainnet: 'lnbc' } as const;
    for (const [network, prefix] of Object.entries(prefixes)) {
      const invoiceOf = await new FakeLightning({ network: network as keyof typeof prefixes }).createInvoice({ amount: 5, unit: 'sat', expirySeconds: 60 });
      expect(invoiceOf.request.startsWith(`${prefix}50n1`)).toBe(true);
    }
    expect(() => new FakeLightning({ network: 'moon' as 'regtest' })).toThrow(RangeError);
    expect(() => new FakeLightning({ routingFee: -1 })).toThrow(RangeError);
    expect(changeAmounts(0, 3, 2 ** 31)).toEqual([]);
    expect(changeAmounts(40, 10, 16)).toEqual([8, 16, 16]); // never a piece the keyset cannot sign
  });
});

describe('restore (NUT-09)', () => {
  it('returns the stored signature for signed outputs only, in request order', async () => {
    const { mint, call } = await start();
    const { body: q } = await call('POST', '/v1/mint/quote/bolt11', { amount: 6, unit: 'sat' });
    const signed = blanks(mint.keysetId, [2, 4]).map((b) => b.output);
    const { body: minted } = await call('POST', '/v1/mint/bolt11', { quote: q.quote, outputs: signed });
    const unknown = blanks(mint.keysetId, [1])[0]!.output;
    const { body } = await call('POST', '/v1/restore', { outputs: [signed[1], unknown, signed[0]] });
    expect(body.outputs).toEqual([signed[1], signed[0]]);
    expect(body.signatures).toEqual([minted.signatures[1], minted.signatures[0]]);
  });
});

describe('keysets (NUT-01/02) and the schema', () => {
  it('a new fee makes a new active keyset; the old one stays known, inactive', () => {
    const db = openMintDb(':memory:');
    onTestFinished(() => void db.close());
    const first = new Keysets(db, { unit: 'sat', inputFeePpk: 0, maxOrder: 8 });
    const second = new Keysets(db, { unit: 'sat', inputFeePpk: 100, maxOrder: 8 });
    expect(second.active.id).not.toBe(first.active.id);
    expect(second.get(first.active.id).active).toBe(false);
    expect(second.get(first.active.id).publicKeys).toEqual(first.active.publicKeys);
    expect(Object.keys(second.active.publicKeys)).toEqual(['1', '2', '4', '8', '16', '32', '64', '128']);
    expect(new Keysets(db, { unit: 'sat', inputFeePpk: 0, maxOrder: 8 }).active.id).toBe(first.active.id);
    expect(second.fee([second.active.id, second.active.id, first.active.id])).toBe(1);
  });

  it('refuses a database written by a newer mint', () => {
    const db = new Database(':memory:');
    onTestFinished(() => void db.close());
    migrateMintDb(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 10}`);
    expect(() => migrateMintDb(db)).toThrow(/newer than this mint/);
  });

  it('quote ids are UUID v7', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('fuzz: random bodies on every route', () => {
  it('never answers 5xx', async () => {
    const { call } = await start();
    const routes = ['/v1/swap', '/v1/mint/quote/bolt11', '/v1/mint/bolt11', '/v1/melt/quote/bolt11', '/v1/melt/bolt11', '/v1/checkstate', '/v1/restore'];
    const hex = fc.stringMatching(/^0[23][0-9a-f]{64}$/);
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.double(), fc.string(), hex, fc.constant(null), fc.boolean(),
        fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('amount', 'id', 'secret', 'C', 'B_', 'quote', 'unit', 'inputs', 'outputs', 'Ys', 'request', 'witness'), tie('v'))),
    })).v;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), value, async (route, body) => {
        const r = await call('POST', route, body);
        expect(r.status).toBeLessThan(500);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });
});
