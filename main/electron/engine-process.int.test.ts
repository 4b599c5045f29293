// The engine process entry (engine-process.ts) with the real engine and a real wallet file, in a real child process.
// Electron's utilityProcess cannot run here (no Electron binary): a Node child_process.fork stands in for it
// (test/support/engine-child.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent, EngineStatus } from '../api/index.js';
import { forkEngineChild } from '../../test/support/engine-child.js';
import { superviseEngine, type EngineChild } from './engine-supervisor.js';
import { TEST_WALLET_KEY } from '../../scripts/test-wallet-key.js';

const ENTRY = join(import.meta.dirname, 'engine-process.ts');

const forkEngine = (spawned: EngineChild[]) => forkEngineChild(ENTRY, spawned, ['--import', 'tsx']);

function walletDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-engine-process-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const next = (link: { onEvent(l: (e: EngineEvent) => void): () => void }, test: (e: EngineEvent) => boolean) =>
  new Promise<EngineEvent>((r) => { const off = link.onEvent((e) => test(e) && (off(), r(e))); });

describe('the engine in its own process (child_process.fork standing in for utilityProcess)', () => {
  it('serves the real engine, survives a SIGKILL with its wallet intact, and stops cleanly', async () => {
    const data = walletDir();
    const spawned: EngineChild[] = [];
    const engine = superviseEngine({ spawn: forkEngine(spawned), start: { argv: ['--no-sandbox', '--data', data], defaultDataDir: '/nowhere', walletKey: TEST_WALLET_KEY.toString('hex') }, backoffMs: () => 50 });
    onTestFinished(() => engine.stop());

    const status = await engine.call('getStatus', []);
    expect(status).toMatchObject({ ok: true, value: { dataDir: data, proxy: { state: 'unconfigured' } } });
    expect(await engine.call('takeSeedPhrase', [])).toMatchObject({ ok: true, value: { words: expect.any(Array) } });
    expect(await engine.call('topUp', ['lots'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const alarm = next(engine, (e) => e.kind === 'alarm');
    const back = next(engine, (e) => e.kind === 'status');
    spawned[0]!.kill();
    expect(await alarm).toMatchObject({ code: 'internal', message: expect.stringContaining('stopped unexpectedly') });
    expect(((await back) as { status: EngineStatus }).status.dataDir).toBe(data);
    expect(spawned).toHaveLength(2);
    // The same wallet: its seed phrase was shown before the crash.
    expect(await engine.call('takeSeedPhrase', [])).toMatchObject({ ok: false, error: { code: 'seed-already-shown' } });

    await engine.stop();
    expect(engine.state).toBe('stopped');
  });

  it('bad launch options: the engine does not start, is not restarted, and says why', async () => {
    const spawned: EngineChild[] = [];
    const engine = superviseEngine({ spawn: forkEngine(spawned), start: { argv: ['--data', walletDir(), '--socks', 'localhost'], defaultDataDir: '/nowhere', walletKey: TEST_WALLET_KEY.toString('hex') }, backoffMs: () => 50 });
    onTestFinished(() => engine.stop());
    const alarm = next(engine, (e) => e.kind === 'alarm');
    expect(await engine.call('getStatus', [])).toEqual({ ok: false, error: { code: 'bad-request', message: '--socks wants HOST:PORT' } });
    expect(await alarm).toMatchObject({ code: 'bad-request', message: 'The engine cannot start: --socks wants HOST:PORT' });
    expect(engine.state).toBe('failed');
    expect(spawned).toHaveLength(1);
  });

  it('no wallet key (no OS keychain, no --passphrase-file): wallet-locked, not restarted, nothing opened', async () => {
    const spawned: EngineChild[] = [];
    const data = walletDir();
    const engine = superviseEngine({ spawn: forkEngine(spawned), start: { argv: ['--data', data], defaultDataDir: '/nowhere' }, backoffMs: () => 50 });
    onTestFinished(() => engine.stop());
    const reply = await engine.call('getStatus', []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'wallet-locked', message: expect.stringMatching(/--passphrase-file/) } });
    expect(engine.state).toBe('failed');
    expect(spawned).toHaveLength(1);
    expect(existsSync(join(data, 'wallet.sqlite'))).toBe(false);
  });
});
