import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';

const run = promisify(execFile);
const cli = (...args: string[]) => run('npx', ['tsx', 'main/host/cli.ts', ...args], { timeout: 60_000 });

describe('npm run engine (headless CLI)', () => {
  it('reports a fail-closed status with no proxy, and shows the seed phrase exactly once', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sipster-cli-'));
    onTestFinished(() => rmSync(data, { recursive: true, force: true }));
    const status = JSON.parse((await cli('status', '--data', data, '--json')).stdout) as Record<string, any>;
    expect(status.proxy).toMatchObject({ state: 'unconfigured', anonymous: false });
    expect(status.wallet).toMatchObject({ balance: 0, backedUp: false });
    const seed = JSON.parse((await cli('seed', '--data', data, '--json')).stdout) as { words: string[] };
    expect(seed.words).toHaveLength(12);
    await expect(cli('seed', '--data', data, '--json')).rejects.toMatchObject({ stderr: expect.stringMatching(/(^|\n)seed-already-shown: /) });
  });

  it('restore reads the seed phrase from stdin, refuses one that is not a BIP-39 phrase, and never echoes it', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sipster-cli-'));
    onTestFinished(() => rmSync(data, { recursive: true, force: true }));
    const words = 'zebra quantum walnut '.repeat(4).trim();
    const child = spawn('npx', ['tsx', 'main/host/cli.ts', 'restore', '--data', data], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.stdin.end(`${words}\n`);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/(^|\n)bad-request: /);
    expect(out).not.toContain('quantum');
  });
});
