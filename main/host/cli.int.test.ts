import { execFile } from 'node:child_process';
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
});
