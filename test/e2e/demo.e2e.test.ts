// The one-command demo, headless, for real: mint and UC processes, socat pty, meter emulator, engine (issue 5), paying
// over a private Tor network through the engine's own tor where tor is installed (issue 6), else (and with --no-tor)
// through the SOCKS hop; and where socat is not on PATH, the same demo over the in-process byte stream. Under CI=true
// tor and socat are required (a missing one fails, naming its package). A private Tor network that cannot start, and
// a stop while a period is under way, end with the hop and with a summary, never with a stack trace.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findTor } from '../../main/engine/tor/index.js';

const run = promisify(execFile);
const hasSocat = spawnSync('socat', ['-V']).error === undefined;
const hasTor = (() => { try { findTor(); return true; } catch { return false; } })();

/** Where a tool is missing the demo uses a stand-in and the tests expect it; CI must show the real parts. */
function requireRealPartsUnderCi(): void {
  if (process.env.CI !== 'true') return;
  if (!hasTor) throw new Error('CI=true: tor is required for the demo over a private Tor network: install the Debian package tor');
  if (!hasSocat) throw new Error('CI=true: socat is required for the demo\'s pty link: install the Debian package socat');
}

const DEMO = ['--import', 'tsx', 'scripts/demo.ts', '--headless', '--json', '--period-seconds', '15'];
const lines = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const STACK_TRACE = /^\s+at /m;

async function demo(data: string, periods: number, ...flags: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('npx', ['tsx', 'scripts/demo.ts', '--data', data, '--headless', '--periods', String(periods), '--json', '--period-seconds', '15', ...flags],
    { timeout: 400_000, env: { ...process.env } })
    .catch((e: Error & { stdout?: string }) => { throw new Error(`${e.message}\nstdout: ${e.stdout ?? ''}`); }); // the summary says what was missing
  return lines(stdout);
}

/** The headless demo as a child process (through the hop), its output gathered as it comes; killed at the test's end. */
function startDemo(periods: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-demo-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const demo = spawn(process.execPath, [...DEMO, '--data', dir, '--periods', String(periods), '--no-tor'], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => void demo.kill('SIGKILL'));
  const output = { stdout: '', stderr: '' };
  demo.stdout.on('data', (d) => (output.stdout += String(d)));
  demo.stderr.on('data', (d) => (output.stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
  return { dir, demo, output, exited };
}

describe('npm run demo -- --headless --json', () => {
  it('settles 2 periods with every token paid (over Tor where installed), then a second run continues through the hop', async () => {
    requireRealPartsUnderCi();
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
  }, 900_000);

  it('without socat on PATH, settles a period over the in-process byte stream and says so', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sipster-demo-'));
    onTestFinished(() => rmSync(data, { recursive: true, force: true }));
    const noSocat = join(data, 'empty-bin'); // a PATH with nothing on it: node is started by its own path
    mkdirSync(noSocat);
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--data', join(data, 'demo'), '--headless', '--periods', '1', '--json', '--period-seconds', '15', '--no-tor'],
      { timeout: 300_000, env: { ...process.env, PATH: noSocat } });
    expect(stderr).toMatch(/^socat not found: the serial link is an in-process byte stream/m);
    const out = lines(stdout);
    expect(out[0]).toMatchObject({ period: 1, settled: true, paid: out[0]!.tokens, receiptsVerified: out[0]!.tokens });
    expect(out[0]!.tokens as number).toBeGreaterThan(0);
    expect(out.at(-1)).toMatchObject({ summary: true, periods: 1, allSettled: true, serialLink: 'in-process' });
  });

  it('falls back to the hop, and says so, when the private Tor network cannot start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-demo-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // A tor (and tor-gencert) that is installed but cannot start, found through the TOR override findTor reads.
    for (const name of ['tor', 'tor-gencert']) {
      writeFileSync(join(dir, name), '#!/bin/sh\necho "[err] this tor cannot start" >&2\nexit 1\n');
      chmodSync(join(dir, name), 0o755);
    }
    const { stdout, stderr } = await run(process.execPath, [...DEMO, '--data', join(dir, 'demo'), '--periods', '1'],
      { timeout: 300_000, env: { ...process.env, TOR: join(dir, 'tor'), TOR_GENCERT: join(dir, 'tor-gencert') } });
    expect(stderr).toMatch(/^The private Tor network did not start \(.+\): payments go through the built-in hop instead\.$/m);
    expect(stderr).not.toMatch(STACK_TRACE);
    const out = lines(stdout);
    expect(out[0]).toMatchObject({ settled: true, paid: out[0]!.tokens, receiptsVerified: out[0]!.tokens, coinsSpent: out[0]!.tokens });
    expect(out.at(-1)).toMatchObject({ summary: true, periods: 1, allSettled: true, path: 'demo-hop', anonymous: false });
  });

  it('stopped (SIGTERM) while periods are under way, prints the lines it has and a summary, and exits non-zero', async () => {
    const { demo, output, exited } = startDemo(3);
    // The stop lands just after the first period's line: the next period's tokens are being paid.
    for (let i = 0; i < 1800 && !output.stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
    demo.kill('SIGTERM');
    expect(await exited).toBe(1);
    const out = lines(output.stdout);
    expect(out[0]).toMatchObject({ period: 1, settled: true });
    expect(out.at(-1)).toMatchObject({ summary: true, allSettled: false, periods: out.length - 1 });
    expect(output.stderr).not.toMatch(STACK_TRACE);
  });

  it('stopped while it starts, exits non-zero with no JSON line, and ends the servers it started', async () => {
    const { dir, demo, output, exited } = startDemo(1);
    const running = () => processesNaming(dir).length;
    for (let i = 0; i < 600 && running() < 2; i++) await new Promise((r) => setTimeout(r, 50)); // the mint and the UC
    demo.kill('SIGTERM');
    expect(await exited).not.toBe(0);
    expect(output.stdout).toBe('');
    expect(output.stderr).not.toMatch(STACK_TRACE);
    for (let i = 0; i < 100 && running() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(processesNaming(dir)).toEqual([]);
  });
});

/** Command lines of the processes that name `text` in their arguments (the demo's servers name its data folder). */
function processesNaming(text: string): string[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid).flatMap((d) => {
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ');
      return cmd.includes(text) && !cmd.includes('scripts/demo.ts') ? [cmd] : [];
    } catch { return []; }
  });
}
