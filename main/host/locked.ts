/**
 * An engine held locked (issue 14 §1, "in the window, a prompt"): a host started without the wallet's key serves the
 * window this stand-in, which answers `getLock` and `unlock(passphrase)` and 'wallet-locked' to every other call.
 * The first right passphrase starts the real engine (as with --passphrase-file); from then on every call and event is
 * the engine's. The passphrase goes to scrypt only: never to a log, an error or a reply.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_METHODS, type EngineApi, type EngineEvent } from '../api/index.js';
import { EngineError, WRONG_KEY, createEngine, toApiError, type Engine, type EngineOptions, type WalletUnlock } from '../engine/index.js';
import type { EngineHandle } from './engine-call.js';

export const LOCKED = 'the wallet is locked: enter its passphrase';
export const WRONG_PASSPHRASE = 'the passphrase is wrong: it does not open the wallet in this data folder; nothing was changed';

/** The engine a host serves: the real one, or the stand-in held locked. */
export interface HostedEngine extends EngineHandle {
  close(): Promise<void>;
}

export interface LockedEngine extends HostedEngine {
  /** The engine once unlocked, else null. */
  engine(): Engine | null;
}

/**
 * Every window host's start (browser mode, the Electron engine process): the engine, or, when it has neither a key
 * nor a passphrase (no --passphrase-file, no OS keychain: 'wallet-locked'), the stand-in whose prompt asks for one.
 * A wrong key or passphrase given at launch, or any other failure, rejects as createEngine does.
 */
export async function openEngineOrLocked(o: EngineOptions): Promise<HostedEngine> {
  try {
    const engine = await createEngine(o);
    return { api: engine, onEvent: (l) => engine.onEvent(l), toApiError, close: () => engine.close() };
  } catch (e) {
    if (o.unlock === undefined && toApiError(e).code === 'wallet-locked') return lockedEngine(o.dataDir, (unlock) => createEngine({ ...o, unlock }));
    throw e;
  }
}

/** Holds `start` until the window gives a passphrase; `dataDir` tells a new wallet (no file yet) from an existing one. */
export function lockedEngine(dataDir: string, start: (unlock: WalletUnlock) => Promise<Engine>): LockedEngine {
  let engine: Engine | null = null;
  let starting: Promise<unknown> = Promise.resolve();
  const listeners = new Set<(e: EngineEvent) => void>();

  async function unlock(passphrase: unknown) {
    if (typeof passphrase !== 'string') throw new EngineError('bad-request', 'the passphrase is text');
    if (passphrase.length === 0) throw new EngineError('wallet-locked', 'the passphrase is empty');
    const run = starting.then(async () => {
      if (engine) return engine.unlock(passphrase); // a second window was quicker: the engine says so
      try {
        engine = await start({ kind: 'passphrase', passphrase });
      } catch (e) {
        if (e instanceof EngineError && e.code === 'wallet-locked' && e.message === WRONG_KEY) throw new EngineError('wallet-locked', WRONG_PASSPHRASE);
        throw e;
      }
      engine.onEvent((e) => listeners.forEach((l) => l(e)));
      const status = await engine.getStatus();
      listeners.forEach((l) => l({ kind: 'status', status }));
      return status;
    });
    starting = run.catch(() => {});
    return run;
  }

  const locked: Partial<EngineApi> = {
    getLock: async () => ({ locked: true, newWallet: !existsSync(join(dataDir, 'wallet.sqlite')) }),
    unlock,
  };
  const api = Object.fromEntries(ENGINE_METHODS.map((m) => [m, (...args: unknown[]) => {
    if (engine) return (engine[m] as (...a: unknown[]) => Promise<unknown>).apply(engine, args);
    const own = locked[m] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    return own ? own(...args) : Promise.reject(new EngineError('wallet-locked', LOCKED));
  }])) as unknown as EngineApi;

  return {
    api,
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    toApiError,
    engine: () => engine,
    async close() {
      await starting;
      await engine?.close();
    },
  };
}
