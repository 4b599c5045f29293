import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { getEncodedToken } from '@cashu/cashu-ts';
import { parsedTelegram } from '../../test/support/household-readings.js';
import { createMint } from '../../mint/index.js';
import { fetchCall, mintProofs } from '../../mint/test-wallet.js';
import { startServers } from '../../scripts/demo-stack.js';
import { createEngine } from '../engine/index.js';

const run = promisify(execFile);
const cli = (...args: string[]) => run('npx', ['tsx', 'main/host/cli.ts', ...args], { timeout: 60_000 });

/** The CLI with `input` on its stdin: its exit code and what it printed. */
async function cliWithInput(input: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npx', ['tsx', 'main/host/cli.ts', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

/** A data folder and a passphrase file (0600) beside it. */
function folder(passphrase = 'correct horse battery staple') {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const secret = join(dir, 'passphrase');
  writeFileSync(secret, `${passphrase}\n`, { mode: 0o600 });
  return { data: join(dir, 'data'), secret, dir };
}

describe('npm run engine (headless CLI)', () => {
  it('reports a fail-closed status with no proxy, and shows the seed phrase exactly once', async () => {
    const { data, secret } = folder();
    const status = JSON.parse((await cli('status', '--data', data, '--passphrase-file', secret, '--json')).stdout) as Record<string, any>;
    expect(status.proxy).toMatchObject({ state: 'unconfigured', anonymous: false });
    expect(status.wallet).toMatchObject({ balance: 0, backedUp: false });
    const seed = JSON.parse((await cli('seed', '--data', data, '--passphrase-file', secret, '--json')).stdout) as { words: string[] };
    expect(seed.words).toHaveLength(12);
    await expect(cli('seed', '--data', data, '--passphrase-file', secret, '--json')).rejects.toMatchObject({ stderr: expect.stringMatching(/(^|\n)seed-already-shown: /) });
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'wallet.sqlite')).mode & 0o777).toBe(0o600);
  });

  it('without a passphrase, or with the wrong one, the wallet stays locked and says how to unlock; an open passphrase file is refused', async () => {
    const { data, secret, dir } = folder();
    await cli('status', '--data', data, '--passphrase-file', secret, '--json');
    await expect(cli('status', '--data', data, '--json')).rejects.toMatchObject({ stderr: expect.stringMatching(/(^|\n)wallet-locked: .*--passphrase-file/) });
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, 'not the passphrase\n', { mode: 0o600 });
    await expect(cli('status', '--data', data, '--passphrase-file', wrong, '--json')).rejects.toMatchObject({ stderr: expect.stringMatching(/(^|\n)wallet-locked: /) });
    const open = join(dir, 'open');
    writeFileSync(open, 'correct horse battery staple\n', { mode: 0o644 });
    await expect(cli('status', '--data', data, '--passphrase-file', open, '--json')).rejects.toMatchObject({ stderr: expect.stringMatching(/(^|\n)bad-request: .*other users/) });
  });

  it('export wants --period, and names what a period without a bill lacks', async () => {
    const { data, secret } = folder();
    await expect(cli('export', '--data', data, '--passphrase-file', secret)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^bad-request: export wants --period N/) });
    await expect(cli('export', '--period', '3', '--data', data, '--passphrase-file', secret)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/(^|\n)not-found: no utility pinned yet/) });
  });

  it('restore reads the seed phrase from stdin, refuses one that is not a BIP-39 phrase, and never echoes it', async () => {
    const { data, secret } = folder();
    const words = 'zebra quantum walnut '.repeat(4).trim();
    const { code, stdout, stderr } = await cliWithInput(`${words}\n`, 'restore', '--data', data, '--passphrase-file', secret);
    expect(code).toBe(1);
    expect(stderr).toMatch(/(^|\n)bad-request: /);
    expect(stdout + stderr).not.toContain('quantum');
  });

  it('history prints one JSON object per bucket; their importKwh add up to the last minus the first import register, to the Wh', async () => {
    const { data, secret } = folder('history is private too');
    const T0 = 1_767_261_600; // 2026-01-01T10:00:00Z
    const engine = await createEngine({ dataDir: data, tickMs: 3_600_000, unlock: { kind: 'passphrase', passphrase: 'history is private too' } });
    const wh = (k: number) => [1_234_567 + k * 3, 7_654_321 + Math.floor(k / 700)] as [number, number];
    for (let k = 0; k < 3 * 3_600; k += 5) engine.ingest({ kind: 'reading', readings: parsedTelegram(T0 + k, wh(k), 100_000 + k) });
    await engine.close();
    const lines = (await cli('history', '--data', data, '--passphrase-file', secret, '--bucket', 'hour', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.start)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z']);
    for (const l of lines) expect(Object.keys(l)).toEqual(['start', 'importKwh', 'exportKwh', 'gasM3', 'waterM3', 'costEstimate']);
    const [first, last] = [wh(0), wh(3 * 3_600 - 5)];
    expect(Math.round(lines.reduce((a, l) => a + (l.importKwh as number), 0) * 1000)).toBe(last[0] + last[1] - first[0] - first[1]);
    expect(lines[0]).toMatchObject({ exportKwh: 0, waterM3: null, gasM3: expect.any(Number), costEstimate: expect.any(Number) });
    const between = (await cli('history', '--data', data, '--passphrase-file', secret, '--bucket', 'day', '--from', '2026-01-01T11:00:00Z', '--to', '2026-01-01T12:00:00Z', '--json')).stdout.trim().split('\n');
    expect(between).toHaveLength(1);
    expect(JSON.parse(between[0]!)).toMatchObject({ importKwh: lines[1]!.importKwh });
    await expect(cli('history', '--data', data, '--passphrase-file', secret, '--bucket', 'fortnight', '--json')).rejects.toMatchObject({ stderr: expect.stringMatching(/(^|\n)bad-request: bucket is one of/) });
  });

  // The window's Receive and Withdraw from the command line: the same engine calls, against the project's real mint
  // and UC through the demo's SOCKS hop (scripts/demo-stack.ts), the wallet in a real encrypted file.
  describe('receive and withdraw', () => {
    const PASSPHRASE = 'money in and out';
    const cashuB = (mint: string, proofs: Awaited<ReturnType<typeof mintProofs>>) =>
      getEncodedToken({ mint, unit: 'sat', proofs: proofs.map((p) => ({ ...p, amount: BigInt(p.amount) })) as never });

    /** A wallet that met the utility (the mint is pinned) and holds `units`, closed again for the CLI to open. */
    async function household(units: number) {
      const f = folder(PASSPHRASE);
      const servers = await startServers(f.dir);
      onTestFinished(() => servers.close());
      const engine = await createEngine({ dataDir: f.data, ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, tickMs: 2 ** 30,
        unlock: { kind: 'passphrase', passphrase: PASSPHRASE } });
      await engine.runOnce();
      await engine.topUp(units);
      await engine.close();
      // Read in this process (quicker than one more CLI start): the wallet as the CLI left it.
      const balance = async () => {
        const e = await createEngine({ dataDir: f.data, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase: PASSPHRASE } });
        try { return (await e.getWallet()).balance; } finally { await e.close(); }
      };
      return { ...f, servers, balance };
    }

    it('receive: a token of the wallet\'s mint from a file is swapped and counted; the same token again (stdin) is refused as spent; another mint\'s is refused with its URL; never from argv', { timeout: 300_000 }, async () => {
      const { data, secret, dir, servers, balance } = await household(20);
      const token = cashuB(servers.mintUrl, await mintProofs(fetchCall(servers.mintUrl), [4, 1]));
      const file = join(dir, 'token.txt');
      writeFileSync(file, `${token}\n`, { mode: 0o600 });
      const got = await cli('receive', '--data', data, '--passphrase-file', secret, '--token-file', file, '--json');
      expect(JSON.parse(got.stdout)).toEqual({ amount: 5, balance: 25 });
      expect(got.stdout + got.stderr).not.toContain(token.slice(6, 40));
      // The sender's copy is worthless now: the mint counts its proofs spent.
      const again = await cliWithInput(token, 'receive', '--data', data, '--passphrase-file', secret);
      expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/(^|\n)token-spent: /) });
      expect(again.stdout + again.stderr).not.toContain(token.slice(6, 40));

      const other = await createMint({ dbPath: ':memory:' });
      const otherUrl = await other.listen(0, '127.0.0.1');
      onTestFinished(() => other.close());
      const foreign = await cliWithInput(cashuB(otherUrl, await mintProofs(fetchCall(otherUrl), [2])), 'receive', '--data', data, '--passphrase-file', secret);
      expect(foreign).toMatchObject({ code: 1, stderr: expect.stringMatching(/(^|\n)other-mint: .*127\.0\.0\.1:/) });
      expect(foreign.stderr).toContain(otherUrl.replace(/\/$/, ''));
      await expect(cli('receive', token, '--data', data, '--passphrase-file', secret)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^bad-request: receive reads the token from --token-file FILE or stdin/) });
      await expect(cli('receive', '--data', data, '--passphrase-file', secret, '--token-file', join(dir, 'no-such-file'))).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/(^|\n)bad-request: --token-file: .*no-such-file cannot be read \(ENOENT\)/) });
      expect(await balance()).toBe(25);
    });

    it('withdraw: without --confirm the quote (amount, fee reserve) and nothing paid; with it, paid and the change counted', { timeout: 300_000 }, async () => {
      const { data, secret, balance, servers } = await household(25);
      const payee = await createMint({ dbPath: ':memory:', fakePay: 'manual' }); // a Lightning node elsewhere, issuing the invoice
      const payeeUrl = await payee.listen(0, '127.0.0.1');
      onTestFinished(() => payee.close());
      const { body: invoice } = await fetchCall(payeeUrl)('POST', '/v1/mint/quote/bolt11', { amount: 10, unit: 'sat' });

      const quoted = await cli('withdraw', '--data', data, '--passphrase-file', secret, '--invoice', invoice.request);
      expect(quoted.stdout).toMatch(/^the invoice asks 10 units, plus at most 2 units for routing .*the balance is 25 units\nnothing was paid: run again with --confirm to pay it\n$/);
      expect(await balance()).toBe(25);

      const paid = (await cli('withdraw', '--data', data, '--passphrase-file', secret, '--invoice', invoice.request, '--confirm', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(paid).toEqual([
        { quote: expect.any(String), amount: 10, feeReserve: 2, expiresAt: expect.any(String), balance: 25 },
        { state: 'paid', amount: 10, feePaid: 1, change: 1, balance: 14 },
      ]);
      // The wallet's mint paid it (its melt quote is PAID): the Lightning side is the mint's FakeLightning.
      expect((await fetchCall(servers.mintUrl)('GET', `/v1/melt/quote/bolt11/${String(paid[0]!.quote)}`)).body.state).toBe('PAID');
      expect(await balance()).toBe(14);
      // The same invoice again: the mint will not pay it twice, and nothing leaves the wallet.
      await expect(cli('withdraw', '--data', data, '--passphrase-file', secret, '--invoice', invoice.request, '--confirm')).rejects.toMatchObject({ code: 1 });
      expect(await balance()).toBe(14);
      await expect(cli('withdraw', '--data', data, '--passphrase-file', secret)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^bad-request: withdraw wants --invoice BOLT11/) });
      await expect(cli('status', '--data', data, '--passphrase-file', secret, '--confirm')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^bad-request: --confirm goes with the withdraw command/) });
    });
  });
});
