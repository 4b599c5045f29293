// The one-command demo, headless, for real: mint and UC processes, socat pty, meter emulator, engine (issue 5), paying
// over a private Tor network through the engine's own tor where tor is installed (issue 6), else (and with --no-tor)
// through the SOCKS hop; and where socat is not on PATH, the same demo over the in-process byte stream.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findTor } from '../../main/engine/tor/index.js';

const run = promisify(execFile);
const hasSocat = spawnSync('socat', ['-V']).error === undefined;
const hasTor = (() => { try { findTor(); return true; } catch { return false; } })();

async function demo(data: string, periods: number, ...flags: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('npx', ['tsx', 'scripts/demo.ts', '--data', data, '--headless', '--periods', String(periods), '--json', '--period-seconds', '15', ...flags],
    { timeout: 240_000, env: { ...process.env } });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('npm run demo -- --headless --json', () => {
  it('settles 2 periods with every token paid (over Tor where installed), then a second run continues through the hop', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sipster-demo-'));
    onTestFinished(() => rmSync(data, { recursive: true, force: true }));

    const first = await demo(data, 2);
    const periods = first.filter((l) => !l.summary);
    expect(periods.map((p) => p.period)).toEqual([1, 2]);
    for (const p of periods) {
      expect(p).toMatchObject({ settled: true, paid: p.tokens, receiptsVerified: p.tokens, coinsSpent: p.tokens });
      expect(p.tokens).toBeGreaterThan(0);
      expect(p.payWallMs).toBeGreaterThanOrEqual(0);
    }
    const summary = first.at(-1)!;
    const tokens = periods.reduce((s, p) => s + (p.tokens as number), 0);
    expect(summary).toMatchObject({
      summary: true, periods: 2, allSettled: true, tokens, paid: tokens, ucPaidTokens: tokens, anonymous: false, path: hasTor ? 'private-tor' : 'demo-hop',
    });
    // Money is conserved: one coin per paid token, counting tokens of a next period already paid when the demo stopped.
    expect(summary.walletSpent).toBe(summary.walletPaidTokens);
    expect(summary.walletSpent as number).toBeGreaterThanOrEqual(tokens);
    // Every request to the UC and the mint went through the proxy, each with its own SOCKS username (Tor: its own circuit).
    expect(summary.distinctSocksUsers).toBe(summary.connections);
    if (hasTor) expect(summary.distinctCircuits).toBe(summary.connections);
    expect(summary.connections as number).toBeGreaterThan(tokens);

    const second = await demo(data, 1, '--no-tor');
    expect(second[0]).toMatchObject({ period: 3, settled: true });
    const end = second.at(-1)!;
    expect(end).toMatchObject({ allSettled: true, path: 'demo-hop' });
    expect(end.distinctSocksUsers).toBe(end.connections);
    expect(end.walletSpent).toBe(end.walletPaidTokens);
    expect(end.walletSpent as number).toBeGreaterThanOrEqual(tokens + (second[0]!.tokens as number));
    expect(end.serialLink).toBe(hasSocat ? 'socat-pty' : 'in-process');
  });

  it('without socat on PATH, settles a period over the in-process byte stream and says so', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sipster-demo-'));
    onTestFinished(() => rmSync(data, { recursive: true, force: true }));
    const noSocat = join(data, 'empty-bin'); // a PATH with nothing on it: node is started by its own path
    mkdirSync(noSocat);
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--data', join(data, 'demo'), '--headless', '--periods', '1', '--json', '--period-seconds', '15', '--no-tor'],
      { timeout: 120_000, env: { ...process.env, PATH: noSocat } });
    expect(stderr).toMatch(/^socat not found: the serial link is an in-process byte stream/m);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ period: 1, settled: true, paid: lines[0]!.tokens, receiptsVerified: lines[0]!.tokens });
    expect(lines[0]!.tokens as number).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatchObject({ summary: true, periods: 1, allSettled: true, serialLink: 'in-process' });
  });
});
