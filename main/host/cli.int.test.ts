import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parsedTelegram } from '../../test/support/household-readings.js';
import { createEngine } from '../engine/index.js';

const run = promisify(execFile);
const cli = (...args: string[]) => run('npx', ['tsx', 'main/host/cli.ts', ...args], { timeout: 60_000 });

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
    const child = spawn('npx', ['tsx', 'main/host/cli.ts', 'restore', '--data', data, '--passphrase-file', secret], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.stdin.end(`${words}\n`);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/(^|\n)bad-request: /);
    expect(out).not.toContain('quantum');
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
});
