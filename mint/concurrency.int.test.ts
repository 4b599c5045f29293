// Double spending under concurrency: 32 parallel swaps of the same proofs, spread over two mint processes on
// one SQLite file (the second a real child process started by the CLI) → exactly one succeeds.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hashToCurve } from '@cashu/cashu-ts';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMint, type Mint } from './index.js';
import { blanks, fetchCall, mintProofs } from './test-wallet.js';

let dir: string;
let mint: Mint;
let child: ChildProcess;
let urls: string[];

async function startCliMint(dbPath: string): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', 'mint/cli.ts', '--port', '0', '--db', dbPath, '--demo'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const m = /listening on (\S+)/.exec(line);
    if (m) return m[1] as string;
  }
  throw new Error('the CLI mint exited before listening');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mint-race-'));
  const dbPath = join(dir, 'mint.sqlite');
  mint = await createMint({ dbPath });
  urls = [await mint.listen(0), await startCliMint(dbPath)];
});
afterAll(async () => {
  child?.kill('SIGTERM');
  await mint.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a proof is spent exactly once', () => {
  it('32 parallel swaps of the same proofs over two processes: one succeeds, 31 get 11001/11002', async () => {
    const [a, b] = urls.map(fetchCall) as [ReturnType<typeof fetchCall>, ReturnType<typeof fetchCall>];
    const proofs = await mintProofs(a, [8, 4, 2, 1]);
    const attempts = Array.from({ length: 32 }, (_, i) => {
      const outputs = blanks(mint.keysetId, [8, 4, 2, 1]).map((x) => x.output);
      return (i % 2 === 0 ? a : b)('POST', '/v1/swap', { inputs: proofs, outputs });
    });
    const results = await Promise.all(attempts);
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]?.body.signatures).toHaveLength(4);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(400);
      expect([11001, 11002]).toContain(r.body.code);
    }
    // Both processes agree the proofs are spent.
    const Ys = proofs.map((p) => hashToCurve(utf8ToBytes(p.secret)).toHex(true));
    for (const call of [a, b]) {
      const { body } = await call('POST', '/v1/checkstate', { Ys });
      expect(body.states.map((s: { state: string }) => s.state)).toEqual(['SPENT', 'SPENT', 'SPENT', 'SPENT']);
    }
  });

  it('16 parallel mints on one paid quote over two processes: one is issued, 15 get 20002', async () => {
    const calls = urls.map(fetchCall);
    const { body: quote } = await calls[0]!('POST', '/v1/mint/quote/bolt11', { amount: 4, unit: 'sat' });
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        calls[i % 2]!('POST', '/v1/mint/bolt11', { quote: quote.quote, outputs: blanks(mint.keysetId, [4]).map((b) => b.output) }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body.code === 20002)).toHaveLength(15);
  });

  it('the same outputs cannot be signed twice (11003), even for fresh inputs', async () => {
    const call = fetchCall(urls[0] as string);
    const [p1, p2] = [await mintProofs(call, [2]), await mintProofs(call, [2])];
    const outputs = blanks(mint.keysetId, [2]).map((x) => x.output);
    expect((await call('POST', '/v1/swap', { inputs: p1, outputs })).status).toBe(200);
    const again = await fetchCall(urls[1] as string)('POST', '/v1/swap', { inputs: p2, outputs });
    expect(again.body.code).toBe(11003);
    // p2 was not spent by the refused swap.
    expect((await call('POST', '/v1/swap', { inputs: p2, outputs: blanks(mint.keysetId, [2]).map((x) => x.output) })).status).toBe(200);
  });
});
