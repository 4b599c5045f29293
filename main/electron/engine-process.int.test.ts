// The engine process entry (engine-process.ts) with the real engine and a real wallet file, in a real child process.
// Electron's utilityProcess cannot run here (no Electron binary): a Node child_process.fork stands in for it
// (test/support/engine-child.ts).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent, EngineStatus } from '../api/index.js';
import { forkEngineChild } from '../../test/support/engine-child.js';
import { createEngine } from '../engine/index.js';
import { LOCKED, WRONG_PASSPHRASE } from '../host/locked.js';
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

  // The Electron app on a Linux desktop whose safeStorage has only 'basic_text': main.ts sends no walletKey.
  describe('no wallet key (no OS keychain) and no --passphrase-file: held locked, the window asks for the passphrase', () => {
    const PASSPHRASE = 'correct horse battery staple';
    const locked = (data: string, spawned: EngineChild[]) => {
      const engine = superviseEngine({ spawn: forkEngine(spawned), start: { argv: ['--data', data], defaultDataDir: '/nowhere' }, backoffMs: () => 50 });
      onTestFinished(() => engine.stop());
      return engine;
    };

    it('an existing wallet: getLock says so, a wrong passphrase is refused, the right one opens it; events flow; a restart locks it again', async () => {
      const data = walletDir();
      const made = await createEngine({ dataDir: data, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase: PASSPHRASE } });
      await made.takeSeedPhrase(); // shown once: the engine process's wallet is this one if it says so
      await made.close();

      const spawned: EngineChild[] = [];
      const engine = locked(data, spawned);
      expect(await engine.call('getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: false } });
      expect(engine.state).toBe('running'); // a locked engine is ready: nothing to restart
      expect(await engine.call('getStatus', [])).toEqual({ ok: false, error: { code: 'wallet-locked', message: LOCKED } });
      const wrong = await engine.call('unlock', ['not the passphrase']);
      expect(wrong).toEqual({ ok: false, error: { code: 'wallet-locked', message: WRONG_PASSPHRASE } });
      expect(JSON.stringify(wrong)).not.toContain('not the passphrase');
      expect(await engine.call('getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: false } });

      const unlockedStatus = next(engine, (e) => e.kind === 'status');
      expect(await engine.call('unlock', [PASSPHRASE])).toMatchObject({ ok: true, value: { dataDir: data } });
      expect(((await unlockedStatus) as { status: EngineStatus }).status.dataDir).toBe(data);
      expect(await engine.call('getStatus', [])).toMatchObject({ ok: true, value: { dataDir: data, proxy: { state: 'unconfigured' } } });
      expect(await engine.call('getLock', [])).toEqual({ ok: true, value: { locked: false, newWallet: false } });
      expect(await engine.call('takeSeedPhrase', [])).toMatchObject({ ok: false, error: { code: 'seed-already-shown' } });
      // The engine's own events cross the process boundary once it is unlocked.
      const proxy = next(engine, (e) => e.kind === 'proxy');
      expect(await engine.call('setProxy', [{ kind: 'none' }])).toMatchObject({ ok: true, value: { state: 'unconfigured' } });
      expect(await proxy).toMatchObject({ kind: 'proxy', proxy: { state: 'unconfigured' } });

      // A crash: the supervisor starts the process again, which is locked again (the passphrase is kept nowhere).
      const alarm = next(engine, (e) => e.kind === 'alarm');
      spawned[0]!.kill();
      expect(await alarm).toMatchObject({ code: 'internal', message: expect.stringContaining('stopped unexpectedly') });
      expect(await engine.call('getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: false } });
      expect(spawned).toHaveLength(2);
      expect(engine.state).toBe('running');
      expect(await engine.call('unlock', [PASSPHRASE])).toMatchObject({ ok: true, value: { dataDir: data } });
      await engine.stop();
      expect(engine.state).toBe('stopped');
      expect(spawned).toHaveLength(2);
    });

    it("the keychain's key is not this wallet's (made under a passphrase before the desktop had a keychain): the prompt, not a dead end", async () => {
      const data = walletDir();
      const made = await createEngine({ dataDir: data, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase: PASSPHRASE } });
      await made.close();
      const spawned: EngineChild[] = [];
      const engine = superviseEngine({ spawn: forkEngine(spawned), start: { argv: ['--data', data], defaultDataDir: '/nowhere', walletKey: TEST_WALLET_KEY.toString('hex') }, backoffMs: () => 50 });
      onTestFinished(() => engine.stop());
      expect(await engine.call('getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: false } });
      expect(engine.state).toBe('running');
      expect(await engine.call('unlock', [PASSPHRASE])).toMatchObject({ ok: true, value: { dataDir: data } });
      await engine.stop();
      expect(spawned).toHaveLength(1);
    });

    it('a new data folder: nothing is made until the passphrase is chosen; it then becomes the wallet\'s', async () => {
      const data = walletDir();
      const spawned: EngineChild[] = [];
      const engine = locked(data, spawned);
      expect(await engine.call('getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: true } });
      expect(await engine.call('getStatus', [])).toEqual({ ok: false, error: { code: 'wallet-locked', message: LOCKED } });
      expect(existsSync(join(data, 'wallet.sqlite'))).toBe(false);

      const status = next(engine, (e) => e.kind === 'status');
      expect(await engine.call('unlock', [PASSPHRASE])).toMatchObject({ ok: true, value: { dataDir: data, wallet: { balance: 0, backedUp: false } } });
      await status;
      expect(await engine.call('takeSeedPhrase', [])).toMatchObject({ ok: true, value: { words: expect.any(Array) } });
      await engine.stop();
      expect(spawned).toHaveLength(1);
      // Made under the passphrase chosen: it opens with it, and with no other.
      await expect(createEngine({ dataDir: data, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase: 'another' } })).rejects.toMatchObject({ code: 'wallet-locked' });
      const reopened = await createEngine({ dataDir: data, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase: PASSPHRASE } });
      await expect(reopened.takeSeedPhrase()).rejects.toMatchObject({ code: 'seed-already-shown' });
      await reopened.close();
    });
  });
});
