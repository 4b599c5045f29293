/**
 * The messages between the Electron main process and the engine's own process (architecture.md §Processes: the
 * engine's crypto and SQLite stay off the main process, as Signal does with SQLite and VS Code with its utility
 * processes). Plain structured-clone data, so any message port carries them: Electron's utilityProcess and its
 * parentPort in the app, a Node child_process or worker_threads MessageChannel in the tests.
 *
 *   main → engine   {kind: 'start', argv, defaultDataDir, walletKey?}   once, first
 *                   {kind: 'call', id, method, args}        answered by {kind: 'reply', id, reply: Reply}
 *                   {kind: 'stop'}                          answered by {kind: 'stopped'}, then the process ends
 *   engine → main   {kind: 'ready'} or {kind: 'failed', error, retry} after start; {kind: 'event', event} any time
 *
 * This file is the engine process's side; engine-supervisor.ts is the main process's.
 * @module
 */
import type { ApiErrorCode, EngineApi, EngineEvent, Reply } from '../api/index.js';

export type EngineMethod = keyof EngineApi;
export type ApiError = { code: ApiErrorCode; message: string };

export interface StartMessage {
  kind: 'start';
  /** The app's command line: the engine process reads the launch options itself (main/host/launch-options.ts). */
  argv: string[];
  /** The wallet's folder when --data is not given (Electron's userData, which only the main process knows). */
  defaultDataDir: string;
  /** The wallet's key, hex, unsealed by safeStorage (wallet-key.ts); absent where the OS keeps none. Never on argv. */
  walletKey?: string;
}

export type ToEngine = StartMessage | { kind: 'call'; id: number; method: string; args: unknown[] } | { kind: 'stop' };

export type FromEngine =
  | { kind: 'ready' }
  /** The engine could not start; `retry: false` when starting again cannot help (bad options, a wallet from the future). */
  | { kind: 'failed'; error: ApiError; retry: boolean }
  | { kind: 'reply'; id: number; reply: Reply<unknown> }
  | { kind: 'event'; event: EngineEvent }
  | { kind: 'stopped' };

/** One side of a message port. */
export interface Endpoint<Out, In> {
  send(message: Out): void;
  /** Returns the unsubscribe. */
  listen(handler: (message: In) => void): () => void;
}

/** What the main process holds instead of the engine: calls answer a Reply, events arrive as the engine's. */
export interface EngineLink {
  call(method: EngineMethod, args: unknown[]): Promise<Reply<unknown>>;
  onEvent(listener: (e: EngineEvent) => void): () => void;
}

/** The engine as the engine process runs it. */
export interface ServedEngine {
  /** Answers one call; never throws (main/host's callEngine). */
  call(method: unknown, args: unknown): Promise<Reply<unknown>>;
  onEvent(listener: (e: EngineEvent) => void): () => void;
  close(): Promise<void>;
}

export interface ServeOptions {
  open(start: StartMessage): Promise<ServedEngine>;
  /** A start failure as data, and whether starting again may help. */
  failure(e: unknown): { error: ApiError; retry: boolean };
}

/**
 * The engine process's loop: waits for `start`, opens the engine, answers calls and forwards events until `stop`.
 * Resolves when the engine is closed (after `stop`, or after a failed start): the process may then end.
 */
export function serveEngine(port: Endpoint<FromEngine, ToEngine>, o: ServeOptions): Promise<void> {
  let engine: Promise<ServedEngine> | null = null;
  let offEvents = () => {};
  let resolve = () => {};
  const done = new Promise<void>((r) => (resolve = r));
  const stopListening = port.listen((m) => {
    switch (m.kind) {
      case 'start':
        if (engine !== null) return;
        engine = o.open(m);
        engine.then(
          (e) => {
            offEvents = e.onEvent((event) => port.send({ kind: 'event', event }));
            port.send({ kind: 'ready' });
          },
          (err: unknown) => {
            stopListening();
            port.send({ kind: 'failed', ...o.failure(err) });
            resolve();
          },
        );
        return;
      case 'call':
        if (engine === null) return port.send({ kind: 'reply', id: m.id, reply: { ok: false, error: { code: 'internal', message: 'the engine has not started' } } });
        void engine
          .then((e) => e.call(m.method, m.args), (err: unknown): Reply<unknown> => ({ ok: false, error: o.failure(err).error }))
          .then((reply) => port.send({ kind: 'reply', id: m.id, reply }));
        return;
      case 'stop':
        stopListening();
        offEvents();
        void (engine ?? Promise.resolve(null))
          .then((e) => e?.close())
          .finally(() => {
            port.send({ kind: 'stopped' });
            resolve();
          });
        return;
    }
  });
  return done;
}
