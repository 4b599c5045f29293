import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent, EngineStatus } from '../api/index.js';
import { EngineError, WRONG_KEY, createEngine, type Engine, type WalletUnlock } from '../engine/index.js';
import { callEngine } from './engine-call.js';
import { LOCKED, WRONG_PASSPHRASE, lockedEngine, openEngineOrLocked } from './locked.js';

const STATUS = { version: 'test' } as unknown as EngineStatus;

/** A stand-in engine whose wallet opens with `right` only (createEngine's own check is tested in main/engine). */
function setup(right = 'correct horse') {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-locked-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const starts: WalletUnlock[] = [];
  let emit: (e: EngineEvent) => void = () => {};
  let closed = false;
  const engine = {
    getStatus: async () => STATUS,
    listPeriods: async () => [],
    onEvent: (l: (e: EngineEvent) => void) => ((emit = l), () => {}),
    unlock: async () => { throw new EngineError('bad-request', 'the wallet is already unlocked'); },
    close: async () => void (closed = true),
  } as unknown as Engine;
  const held = lockedEngine(dir, async (unlock) => {
    starts.push(unlock);
    await new Promise((r) => setTimeout(r, 5)); // scrypt takes a while: lets two calls overlap
    if (unlock.kind !== 'passphrase' || unlock.passphrase !== right) throw new EngineError('wallet-locked', WRONG_KEY);
    return engine;
  });
  const events: EngineEvent[] = [];
  held.onEvent((e) => events.push(e));
  return { dir, held, starts, events, emit: (e: EngineEvent) => emit(e), isClosed: () => closed };
}

describe('an engine held locked', () => {
  it('answers every call but getLock and unlock with wallet-locked, as data', async () => {
    const { held, starts } = setup();
    expect(await callEngine(held, 'getStatus', [])).toEqual({ ok: false, error: { code: 'wallet-locked', message: LOCKED } });
    expect(await callEngine(held, 'listPeriods', [])).toMatchObject({ ok: false, error: { code: 'wallet-locked' } });
    expect(await callEngine(held, 'getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: true } });
    expect(starts).toEqual([]);
  });

  it('tells an existing wallet from a new one', async () => {
    const { held, dir } = setup();
    writeFileSync(join(dir, 'wallet.sqlite'), '');
    expect(await callEngine(held, 'getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: false } });
  });

  it('refuses a wrong passphrase in words that do not echo it, and stays locked', async () => {
    const { held, starts } = setup();
    const reply = await callEngine(held, 'unlock', ['hunter2-wrong']);
    expect(reply).toEqual({ ok: false, error: { code: 'wallet-locked', message: WRONG_PASSPHRASE } });
    expect(JSON.stringify(reply)).not.toContain('hunter2');
    expect(starts).toHaveLength(1);
    expect(await callEngine(held, 'getStatus', [])).toMatchObject({ ok: false, error: { code: 'wallet-locked' } });
    expect(held.engine()).toBeNull();
  });

  it('refuses an empty or non-text passphrase without trying it', async () => {
    const { held, starts } = setup();
    expect(await callEngine(held, 'unlock', [''])).toEqual({ ok: false, error: { code: 'wallet-locked', message: 'the passphrase is empty' } });
    expect(await callEngine(held, 'unlock', [42])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(starts).toEqual([]);
  });

  it('starts the engine with the right passphrase, then hands it every call and event', async () => {
    const { held, starts, events, emit, isClosed } = setup();
    expect(await callEngine(held, 'unlock', ['correct horse'])).toEqual({ ok: true, value: STATUS });
    expect(starts).toEqual([{ kind: 'passphrase', passphrase: 'correct horse' }]);
    expect(events).toEqual([{ kind: 'status', status: STATUS }]);
    expect(await callEngine(held, 'getStatus', [])).toEqual({ ok: true, value: STATUS });
    emit({ kind: 'token-paid', period: 3 });
    expect(events.at(-1)).toEqual({ kind: 'token-paid', period: 3 });
    expect(await callEngine(held, 'unlock', ['correct horse'])).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await held.close();
    expect(isClosed()).toBe(true);
  });

  it('starts one engine when two windows unlock at once', async () => {
    const { held, starts } = setup();
    const [a, b] = await Promise.all([callEngine(held, 'unlock', ['correct horse']), callEngine(held, 'unlock', ['correct horse'])]);
    expect(starts).toHaveLength(1);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
  });

  // The decision every window host shares (browser mode, the Electron engine process), on real wallet files.
  describe('openEngineOrLocked', () => {
    const made = async (passphrase: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'sipster-open-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      await (await createEngine({ dataDir: dir, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase } })).close();
      return dir;
    };

    it('neither key nor passphrase (no OS keychain here): held locked, and the right passphrase opens it', async () => {
      const dataDir = await made('correct horse');
      const held = await openEngineOrLocked({ dataDir, tickMs: 2 ** 30 });
      onTestFinished(() => held.close());
      expect(await callEngine(held, 'getLock', [])).toEqual({ ok: true, value: { locked: true, newWallet: false } });
      expect(await callEngine(held, 'unlock', ['correct horse'])).toMatchObject({ ok: true, value: { dataDir } });
    });

    it('a passphrase given at launch that is not the wallet\'s: refused as createEngine refuses it, nothing held', async () => {
      const dataDir = await made('correct horse');
      await expect(openEngineOrLocked({ dataDir, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase: 'wrong' } })).rejects.toMatchObject({ code: 'wallet-locked', message: WRONG_KEY });
    });

    it('with the key: the engine itself', async () => {
      const dataDir = await made('correct horse');
      const served = await openEngineOrLocked({ dataDir, tickMs: 2 ** 30, unlock: { kind: 'passphrase', passphrase: 'correct horse' } });
      onTestFinished(() => served.close());
      expect(await callEngine(served, 'getLock', [])).toEqual({ ok: true, value: { locked: false, newWallet: false } });
    });
  });
});
