/**
 * The main process's side of engine-protocol.ts: starts the engine's process, relays calls and events, and starts it
 * again with a growing delay when it dies, telling the window (an alarm when it stops, a fresh status when it is
 * back). Calls made while it starts wait for it; calls in flight when it dies are answered with an error (the
 * wallet's own state machine makes a retried call safe). Knows nothing of Electron: main.ts passes `spawn`.
 * @module
 */
import type { EngineEvent, EngineStatus, Reply } from '../api/index.js';
import type { ApiError, EngineLink, EngineMethod, Endpoint, FromEngine, StartMessage, ToEngine } from './engine-protocol.js';

/** One engine process as the main process sees it (Electron's UtilityProcess, or a Node child in the tests). */
export interface EngineChild {
  port: Endpoint<ToEngine, FromEngine>;
  onExit(listener: () => void): void;
  kill(): void;
}

export interface SupervisorOptions {
  spawn(): EngineChild;
  start: Omit<StartMessage, 'kind'>;
  /** Delay before the n-th restart in a row (n ≥ 1); default restartDelayMs. */
  backoffMs?(n: number): number;
  /** A process that ran this long resets the count of restarts in a row. */
  stableMs?: number;
  /** How long `stop` waits for the engine to close its wallet before killing it. */
  stopTimeoutMs?: number;
}

export type SupervisorState = 'starting' | 'running' | 'waiting' | 'failed' | 'stopping' | 'stopped';

export interface EngineSupervisor extends EngineLink {
  readonly state: SupervisorState;
  /** Closes the engine (it finishes its wallet writes) and ends its process. */
  stop(): Promise<void>;
}

/** 1 s, 2 s, 4 s … before the n-th restart in a row, at most a minute. */
export const restartDelayMs = (n: number): number => Math.min(60_000, 1000 * 2 ** (n - 1));

/** Calls held while the engine starts; beyond this the window is told to wait. */
const MAX_QUEUED = 64;
const fail = (error: ApiError): Reply<never> => ({ ok: false, error });

export function superviseEngine(o: SupervisorOptions): EngineSupervisor {
  const backoff = o.backoffMs ?? restartDelayMs;
  const listeners = new Set<(e: EngineEvent) => void>();
  const emit = (e: EngineEvent) => listeners.forEach((l) => l(e));
  const inFlight = new Map<number, (r: Reply<unknown>) => void>();
  let queued: { method: EngineMethod; args: unknown[]; answer: (r: Reply<unknown>) => void }[] = [];
  let nextId = 1;
  let state: SupervisorState = 'starting';
  let child: EngineChild;
  /** Why the last start failed: `fatal` when starting again cannot help. */
  let failure: ApiError | null = null;
  let fatal: ApiError | null = null;
  let restarts = 0;
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = () => {};
  let stopping: Promise<void> | null = null;

  const send = (method: EngineMethod, args: unknown[], answer: (r: Reply<unknown>) => void) => {
    const id = nextId++;
    inFlight.set(id, answer);
    child.port.send({ kind: 'call', id, method, args });
  };

  function spawn(): void {
    state = 'starting';
    failure = null;
    child = o.spawn();
    const mine = child;
    mine.onExit(() => {
      if (mine === child) exited();
    });
    mine.port.listen((m) => {
      if (mine === child) received(m);
    });
    mine.port.send({ kind: 'start', ...o.start });
  }

  function received(m: FromEngine): void {
    switch (m.kind) {
      case 'ready': {
        state = 'running';
        startedAt = Date.now();
        for (const q of queued) send(q.method, q.args, q.answer);
        queued = [];
        // After a restart the window's picture is stale: a fresh status says the engine is back.
        if (restarts > 0) send('getStatus', [], (r) => r.ok && emit({ kind: 'status', status: r.value as EngineStatus }));
        return;
      }
      case 'failed':
        failure = m.error;
        if (!m.retry) fatal = m.error;
        return child.kill();
      case 'reply':
        inFlight.get(m.id)?.(m.reply);
        inFlight.delete(m.id);
        return;
      case 'event':
        emit(m.event);
        return;
      case 'stopped':
        return child.kill();
    }
  }

  function exited(): void {
    const lost = fail({ code: 'internal', message: 'the engine stopped before answering' });
    for (const answer of inFlight.values()) answer(lost);
    inFlight.clear();
    if (state === 'stopping') {
      state = 'stopped';
      return stopped();
    }
    if (fatal !== null) {
      state = 'failed';
      for (const q of queued) q.answer(fail(fatal));
      queued = [];
      return emit({ kind: 'alarm', code: fatal.code, message: `The engine cannot start: ${fatal.message}` });
    }
    if (state === 'running' && Date.now() - startedAt >= (o.stableMs ?? 60_000)) restarts = 0;
    restarts++;
    const delay = backoff(restarts);
    state = 'waiting';
    const why = failure ? `could not start (${failure.message})` : 'stopped unexpectedly';
    emit({ kind: 'alarm', code: failure?.code ?? 'internal', message: `The engine ${why}; it starts again in ${Math.ceil(delay / 1000)} s. Payments wait until then.` });
    timer = setTimeout(spawn, delay);
  }

  spawn();
  return {
    get state() {
      return state;
    },
    call(method, args) {
      return new Promise((answer) => {
        if (state === 'running') return send(method, args, answer);
        if (state === 'failed' && fatal) return answer(fail(fatal));
        if (state === 'stopping' || state === 'stopped') return answer(fail({ code: 'internal', message: 'the app is closing' }));
        if (queued.length >= MAX_QUEUED) return answer(fail({ code: 'internal', message: 'the engine is starting: try again in a moment' }));
        queued.push({ method, args, answer });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop() {
      clearTimeout(timer);
      for (const q of queued) q.answer(fail({ code: 'internal', message: 'the app is closing' }));
      queued = [];
      if (state === 'stopped' || state === 'failed' || state === 'waiting') {
        state = 'stopped';
        return Promise.resolve();
      }
      if (stopping) return stopping;
      state = 'stopping';
      const gone = new Promise<void>((r) => (stopped = r));
      child.port.send({ kind: 'stop' });
      const kill = setTimeout(() => child.kill(), o.stopTimeoutMs ?? 10_000);
      return (stopping = gone.finally(() => clearTimeout(kill)));
    },
  };
}
