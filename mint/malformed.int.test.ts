// A malformed-request corpus over real HTTP: every answer is a 4xx with a NUT-00 body, never a 5xx.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMint, type Mint } from './index.js';
import { blanks, fetchCall, mintProofs, type WireProof } from './test-wallet.js';

let dir: string;
let mint: Mint;
let url: string;
let proof: WireProof;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mint-bad-'));
  mint = await createMint({ dbPath: join(dir, 'mint.sqlite') });
  url = await mint.listen(0);
  [proof] = (await mintProofs(fetchCall(url), [4])) as [WireProof];
});
afterAll(async () => {
  await mint.close();
  rmSync(dir, { recursive: true, force: true });
});

const NOT_ON_CURVE = '02' + '0'.repeat(64); // x = 0 has no point on secp256k1
const G = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
const out = (o: object = {}) => ({ ...blanks('00'.repeat(8), [4])[0]!.output, ...o });

type Case = [name: string, method: 'GET' | 'POST', path: string, body?: string | object, contentType?: string];

/** The NUT code expected where the corpus entry is about one specific rule. */
const EXPECTED: Record<string, number> = {
  'amount not in keyset': 10001, 'unknown keyset': 12001, 'C not on curve': 10001, 'C = G (wrong signature)': 10001,
  'duplicate inputs': 11007, 'duplicate outputs': 11008, unbalanced: 11005, 'output keyset unknown': 12001,
  'quote amount over the limit': 11006, 'quote other unit': 11013, 'quote bad pubkey': 20009,
};

function corpus(keysetId: string): Case[] {
  const good = () => blanks(keysetId, [4])[0]!.output;
  const swap = (inputs: unknown, outputs: unknown = [good()]) => ({ inputs, outputs });
  return [
    ['garbage JSON', 'POST', '/v1/swap', '{"inputs": [', 'application/json'],
    ['not JSON at all', 'POST', '/v1/swap', 'hello', 'application/json'],
    ['text/plain body', 'POST', '/v1/swap', 'hello', 'text/plain'],
    ['empty body', 'POST', '/v1/swap', '', 'application/json'],
    ['JSON null', 'POST', '/v1/swap', 'null', 'application/json'],
    ['JSON array', 'POST', '/v1/swap', '[]', 'application/json'],
    ['__proto__ pollution', 'POST', '/v1/swap', '{"__proto__": {"x": 1}, "inputs": [], "outputs": []}', 'application/json'],
    ['huge body', 'POST', '/v1/swap', JSON.stringify({ inputs: [], outputs: [], pad: 'x'.repeat(2 * 1024 * 1024) })],
    ['too many items', 'POST', '/v1/checkstate', { Ys: Array(10_001).fill(G) }],
    ['inputs wrong type', 'POST', '/v1/swap', { inputs: 'all of them', outputs: [] }],
    ['amount as string', 'POST', '/v1/swap', swap([{ ...proof, amount: '4' }])],
    ['amount negative', 'POST', '/v1/swap', swap([{ ...proof, amount: -4 }])],
    ['amount fractional', 'POST', '/v1/swap', swap([{ ...proof, amount: 0.5 }])],
    ['amount 2^60', 'POST', '/v1/swap', swap([{ ...proof, amount: 2 ** 60 }])],
    ['amount not in keyset', 'POST', '/v1/swap', swap([{ ...proof, amount: 3 }])],
    ['id as number', 'POST', '/v1/swap', swap([{ ...proof, id: 12 }])],
    ['unknown keyset', 'POST', '/v1/swap', swap([{ ...proof, id: 'ff'.repeat(8) }])],
    ['C not hex', 'POST', '/v1/swap', swap([{ ...proof, C: 'zz' }])],
    ['C not on curve', 'POST', '/v1/swap', swap([{ ...proof, C: NOT_ON_CURVE }])],
    ['C identity encoding', 'POST', '/v1/swap', swap([{ ...proof, C: '00' }])],
    ['C uncompressed', 'POST', '/v1/swap', swap([{ ...proof, C: '04' + '11'.repeat(64) }])],
    ['C = G (wrong signature)', 'POST', '/v1/swap', swap([{ ...proof, C: G }])],
    ['secret empty', 'POST', '/v1/swap', swap([{ ...proof, secret: '' }])],
    ['duplicate inputs', 'POST', '/v1/swap', swap([proof, proof], [good(), good()])],
    ['duplicate outputs', 'POST', '/v1/swap', (() => { const o = good(); return swap([proof], [{ ...o, amount: 2 }, { ...o, amount: 2 }]); })()],
    ['unbalanced', 'POST', '/v1/swap', swap([proof], [{ ...good(), amount: 8 }])],
    ['B_ not on curve', 'POST', '/v1/swap', swap([proof], [{ ...good(), B_: NOT_ON_CURVE }])],
    ['output keyset unknown', 'POST', '/v1/swap', swap([proof], [out()])],
    ['malformed P2PK secret', 'POST', '/v1/swap', swap([{ ...proof, secret: '["P2PK",{"nonce":1}]' }])],
    ['no inputs', 'POST', '/v1/swap', swap([], [])],
    ['checkstate bad Y', 'POST', '/v1/checkstate', { Ys: ['nope'] }],
    ['restore bad B_', 'POST', '/v1/restore', { outputs: [{ amount: 1, id: keysetId, B_: 'x' }] }],
    ['keys of a bad id', 'GET', '/v1/keys/zz'],
    ['keys of an unknown id', 'GET', '/v1/keys/' + 'ab'.repeat(8)],
    ['unknown mint quote', 'GET', '/v1/mint/quote/bolt11/00000000-0000-7000-8000-000000000000'],
    ['unknown melt quote', 'GET', '/v1/melt/quote/bolt11/nope'],
    ['quote amount 0', 'POST', '/v1/mint/quote/bolt11', { amount: 0, unit: 'sat' }],
    ['quote amount 1e20', 'POST', '/v1/mint/quote/bolt11', { amount: 1e20, unit: 'sat' }],
    ['quote amount over the limit', 'POST', '/v1/mint/quote/bolt11', { amount: 2 ** 40, unit: 'sat' }],
    ['quote other unit', 'POST', '/v1/mint/quote/bolt11', { amount: 1, unit: 'eur' }],
    ['quote bad pubkey', 'POST', '/v1/mint/quote/bolt11', { amount: 1, unit: 'sat', pubkey: NOT_ON_CURVE }],
    ['mint unknown quote', 'POST', '/v1/mint/bolt11', { quote: 'nope', outputs: [good()] }],
    ['melt quote garbage invoice', 'POST', '/v1/melt/quote/bolt11', { request: 'lnbc1garbage', unit: 'sat' }],
    ['melt quote not an invoice', 'POST', '/v1/melt/quote/bolt11', { request: 'x'.repeat(5000), unit: 'sat' }],
    ['melt unknown quote', 'POST', '/v1/melt/bolt11', { quote: 'nope', inputs: [proof] }],
    ['admin route off in auto mode', 'POST', '/admin/mint-quote/x/pay'],
    ['unknown route', 'GET', '/v1/nothing'],
    ['wrong method', 'GET', '/v1/swap'],
  ];
}

describe('malformed requests', () => {
  it('each gets a 4xx with { detail, code }, and the mint keeps serving', async () => {
    const failures: string[] = [];
    for (const [name, method, path, body, contentType] of corpus(mint.keysetId)) {
      const res = await fetch(url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': contentType ?? 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => null)) as { detail?: unknown; code?: unknown } | null;
      if (res.status < 400 || res.status >= 500 || typeof json?.detail !== 'string' || typeof json.code !== 'number') {
        failures.push(`${name}: ${res.status} ${JSON.stringify(json)}`);
      } else if (EXPECTED[name] !== undefined && json.code !== EXPECTED[name]) {
        failures.push(`${name}: code ${String(json.code)}, expected ${EXPECTED[name]}`);
      }
    }
    expect(failures).toEqual([]);
    // The good proof was never spent by any of the refused requests.
    const ok = await fetchCall(url)('POST', '/v1/swap', { inputs: [proof], outputs: blanks(mint.keysetId, [4]).map((b) => b.output) });
    expect(ok.status).toBe(200);
  });
});
