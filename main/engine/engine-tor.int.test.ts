/**
 * The engine's own tor follows the proxy setting (real tor, no network needed: it never gets past its first
 * bootstrap steps here, which is the state worth checking): started with `managed`, nothing sent meanwhile
 * ('tor-not-ready'), stopped when the proxy changes and at close.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent } from '../api/index.js';
import { createEngine } from './index.js';
import { TorControl, findTor } from './tor/index.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';

const isRunning = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function torPid(torDir: string): Promise<number> {
  const control = await TorControl.connect(Number(/:(\d+)/.exec(readFileSync(join(torDir, 'control-port'), 'utf8'))![1]));
  try {
    await control.authenticate({ kind: 'cookie', cookieFile: join(torDir, 'control_auth_cookie') });
    return Number((await control.getInfo('process/pid'))['process/pid']);
  } finally {
    control.close();
  }
}

describe('the engine with proxy managed', () => {
  it('runs its own tor while managed, fails closed until it is ready, and stops it when the proxy changes', async () => {
    findTor(); // fails (never skips) without tor, naming what to install
    const dir = mkdtempSync(join(tmpdir(), 'sipster-engine-tor-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // A bridge nobody runs: tor starts, follows its bootstrap, and never gets a circuit.
    const engine = await createEngine({ unlock: testUnlock, dataDir: dir, ucUrl: 'http://127.0.0.1:9', proxy: { kind: 'managed' }, tor: { torrc: ['UseBridges 1', 'Bridge 127.0.0.1:9'] }, tickMs: 3_600_000 });
    onTestFinished(() => engine.close());
    const events: EngineEvent[] = [];
    const bootstrapping = new Promise<void>((r) => engine.onEvent((e) => { events.push(e); if (e.kind === 'tor' && e.tor.state === 'bootstrapping') r(); }));
    await bootstrapping;
    const pid = await torPid(join(dir, 'tor'));
    expect(isRunning(pid)).toBe(true);

    await engine.runOnce();
    const status = await engine.getStatus();
    expect(status.queue.blockedBy).toBe('tor-not-ready');
    expect(status.proxy).toMatchObject({ config: { kind: 'managed' }, state: 'untested', anonymous: true, tor: { state: 'bootstrapping' } });
    await expect(engine.topUp(1)).rejects.toMatchObject({ code: 'tor-not-ready' });
    expect(events.some((e) => e.kind === 'status' && e.status.proxy.tor?.state === 'bootstrapping')).toBe(true);

    expect(await engine.setProxy({ kind: 'none' })).toMatchObject({ state: 'unconfigured', tor: null });
    expect(isRunning(pid)).toBe(false);
    expect(events).toContainEqual({ kind: 'tor', tor: { state: 'stopped', progress: 0, summary: null } });

    expect(await engine.setProxy({ kind: 'managed' })).toMatchObject({ state: 'untested', tor: { state: 'starting' } });
    await new Promise<void>((r) => engine.onEvent((e) => { if (e.kind === 'tor' && e.tor.state === 'bootstrapping') r(); }));
    const again = await torPid(join(dir, 'tor'));
    await engine.close();
    expect(isRunning(again)).toBe(false);
  });
});
