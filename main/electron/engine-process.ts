/**
 * The engine's own process: started by main.ts with Electron's `utilityProcess.fork()` (bundled to
 * dist/electron/engine.mjs), it reads the launch options, opens the engine (or holds it locked for the window's
 * passphrase prompt when it has no key) and serves it over the parent port (engine-protocol.ts) until told to stop. Under plain Node a `child_process.fork()` with an IPC channel runs it the
 * same way; the tests do that, since Electron's binary is not available to them.
 * @module
 */
import type { ParentPort } from 'electron';
import { toApiError } from '../engine/index.js';
import { callEngine, LaunchOptionError, openEngineOrLocked, parseLaunchOptions, type HostedEngine } from '../host/index.js';
import { serveEngine, type Endpoint, type FromEngine, type ServedEngine, type ToEngine } from './engine-protocol.js';

function parentPort(): Endpoint<FromEngine, ToEngine> {
  const port = (process as { parentPort?: ParentPort }).parentPort;
  if (port) {
    return {
      send: (m) => port.postMessage(m),
      listen(handler) {
        const relay = (e: { data: ToEngine }) => handler(e.data);
        port.on('message', relay);
        return () => void port.off('message', relay);
      },
    };
  }
  if (process.send) {
    // The main process went away: nobody is left to serve.
    process.once('disconnect', () => process.exit(0));
    return {
      send: (m) => void process.send?.(m),
      listen(handler) {
        const relay = (m: unknown) => handler(m as ToEngine);
        process.on('message', relay);
        return () => void process.off('message', relay);
      },
    };
  }
  throw new Error('the engine process is started by the app (utilityProcess) or by child_process.fork with IPC');
}

function serve(served: HostedEngine): ServedEngine {
  return { call: (method, args) => callEngine(served, method, args), onEvent: (l) => served.onEvent(l), close: () => served.close() };
}

process.umask(0o077); // whatever the engine or its tor creates in the data folder is the user's alone
await serveEngine(parentPort(), {
  async open({ argv, defaultDataDir, walletKey }) {
    const o = parseLaunchOptions(argv, { defaultDataDir, lenient: true }).engine;
    // A --passphrase-file given on the command line wins over the key the OS keeps. With neither, the engine is held
    // locked and the window asks for the passphrase (main/host/locked.ts), as in browser mode. So it does too when the
    // keychain's key is not this wallet's (a wallet made under a passphrase before the desktop had a keychain).
    if (o.unlock || walletKey === undefined) return serve(await openEngineOrLocked(o));
    try {
      return serve(await openEngineOrLocked({ ...o, unlock: { kind: 'key', key: Buffer.from(walletKey, 'hex') } }));
    } catch (e) {
      if (toApiError(e).code !== 'wallet-locked') throw e;
      return serve(await openEngineOrLocked(o));
    }
  },
  failure(e) {
    if (e instanceof LaunchOptionError) return { error: { code: 'bad-request', message: e.message }, retry: false };
    const error = toApiError(e);
    return { error, retry: error.code !== 'db-from-future' && error.code !== 'wallet-locked' };
  },
});
// The main process ends this process once it has the answer to `stop` or the failed start.
