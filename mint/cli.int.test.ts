// The mint's CLI as a user runs it: --help, a wrong flag, the FakeLightning flags reaching the mint over HTTP, manual
// mode's admin token and the files' modes.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fetchCall } from './test-wallet.js';

/** Starts the CLI mint and resolves to its URL once it listens. */
async function spawnMint(args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mint/cli.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  onTestFinished(() => void child.kill('SIGTERM'));
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /listening on (\S+)/.exec(line);
    if (m) return m[1]!;
  }
  throw new Error('the CLI mint exited before listening');
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mint-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'mint/cli.ts', ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('npm run mint', () => {
  it('--help prints the usage and exits 0; an unknown flag says which, prints the usage, exits 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run mint -- \[options\]/);
    for (const flag of ['--port', '--db', '--demo', '--admin-token-file', '--fake-network', '--fake-fee-reserve', '--fake-routing-fee', '--fake-melt-delay-ms', '--dleq']) expect(help.stdout).toContain(flag);
    expect((await run(['-h'])).stdout).toBe(help.stdout);
    const bad = await run(['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('usage: npm run mint');
    expect(await run(['--fake-network', 'moon'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--fake-network must be one of regtest, testnet, signet, mainnet') });
    expect(await run(['--dleq', 'sometimes'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--dleq must be omit or forge') });
    expect(await run(['--fake-routing-fee', '1.5'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--fake-routing-fee must be a non-negative integer') });
  });

  it('--fake-pay auto without --demo is refused, saying why (exit 2); :memory: in manual mode wants a token file', async () => {
    expect(await run(['--fake-pay', 'auto', '--db', ':memory:'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--fake-pay auto pays every invoice by itself: it is for the demo only, add --demo') });
    expect(await run(['--db', ':memory:'])).toMatchObject({ code: 2, stderr: expect.stringContaining('needs --admin-token-file FILE') });
  });

  it('manual by default: the ledger and a fresh admin token are 0600 in a 0700 folder; only the token pays an invoice', async () => {
    const dir = join(tempDir(), 'data');
    const url = await spawnMint(['--db', join(dir, 'mint.sqlite')]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of ['mint.sqlite', 'mint-admin.token']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    const token = readFileSync(join(dir, 'mint-admin.token'), 'utf8').trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const call = fetchCall(url);
    const { body: quote } = await call('POST', '/v1/mint/quote/bolt11', { amount: 8, unit: 'sat' });
    expect(quote.state).toBe('UNPAID');
    expect((await call('POST', `/admin/mint-quote/${quote.quote}/pay`, {})).status).toBe(401); // loopback is not enough
    expect((await call('POST', `/admin/mint-quote/${quote.quote}/pay`, {}, { authorization: `Bearer ${token}` })).body.state).toBe('PAID');
  });

  it('refuses to start on a ledger or an admin token file others can read, and says which (exit 1)', async () => {
    const dir = tempDir();
    const tokenFile = join(dir, 'admin.token');
    writeFileSync(tokenFile, 'c'.repeat(64), { mode: 0o644 });
    chmodSync(tokenFile, 0o644);
    const tokenRun = await run(['--db', join(dir, 'mint.sqlite'), '--admin-token-file', tokenFile]);
    expect(tokenRun).toMatchObject({ code: 1, stderr: expect.stringContaining(`mint admin token file ${tokenFile} is readable by others (mode 644): chmod 600 it`) });
    chmodSync(tokenFile, 0o600);
    const ledger = join(dir, 'open.sqlite');
    writeFileSync(ledger, '');
    chmodSync(ledger, 0o640);
    const ledgerRun = await run(['--db', ledger, '--admin-token-file', tokenFile]);
    expect(ledgerRun).toMatchObject({ code: 1, stderr: expect.stringContaining(`mint ledger ${ledger} is readable by others (mode 640): chmod 600 it`) });
  });

  it('issues testnet invoices and quotes the fee reserve it is given', async () => {
    const url = await spawnMint(['--db', ':memory:', '--demo', '--fake-network', 'testnet', '--fake-fee-reserve', '5']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const call = fetchCall(url);
    const { body: quote } = await call('POST', '/v1/mint/quote/bolt11', { amount: 21, unit: 'sat' });
    expect(quote.request).toMatch(/^lntb210n1/);
    expect((await call('POST', '/v1/melt/quote/bolt11', { request: quote.request, unit: 'sat' })).body).toMatchObject({ amount: 21, fee_reserve: 5 });
  });
});
