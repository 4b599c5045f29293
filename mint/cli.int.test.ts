// The mint's CLI as a user runs it: --help, a wrong flag, and the FakeLightning flags reaching the mint over HTTP.
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fetchCall } from './test-wallet.js';

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
    for (const flag of ['--port', '--db', '--fake-network', '--fake-fee-reserve', '--fake-routing-fee', '--fake-melt-delay-ms', '--dleq']) expect(help.stdout).toContain(flag);
    expect((await run(['-h'])).stdout).toBe(help.stdout);
    const bad = await run(['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
    expect(bad.stderr).toContain('usage: npm run mint');
    expect(await run(['--fake-network', 'moon'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--fake-network must be one of regtest, testnet, signet, mainnet') });
    expect(await run(['--dleq', 'sometimes'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--dleq must be omit or forge') });
    expect(await run(['--fake-routing-fee', '1.5'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--fake-routing-fee must be a non-negative integer') });
  });

  it('issues testnet invoices and quotes the fee reserve it is given', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'mint/cli.ts', '--port', '0', '--db', ':memory:', '--fake-network', 'testnet', '--fake-fee-reserve', '5'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => void child.kill('SIGTERM'));
    let url = '';
    for await (const line of createInterface({ input: child.stdout })) {
      const m = /listening on (\S+)/.exec(line);
      if (m) {
        url = m[1]!;
        break;
      }
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const call = fetchCall(url);
    const { body: quote } = await call('POST', '/v1/mint/quote/bolt11', { amount: 21, unit: 'sat' });
    expect(quote.request).toMatch(/^lntb210n1/);
    expect((await call('POST', '/v1/melt/quote/bolt11', { request: quote.request, unit: 'sat' })).body).toMatchObject({ amount: 21, fee_reserve: 5 });
  });
});
