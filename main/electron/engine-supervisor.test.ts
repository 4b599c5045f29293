// The engine-process protocol and its supervisor over a worker_threads MessageChannel (structured clone, like
// Electron's utilityProcess port), with the in-memory engine; "killing" a child closes its channel. The real engine
// in a real child process: engine-process.int.test.ts.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent } from '../api/index.js';
import { fakeEngine } from '../../test/support/browser-engine.js';
import { callEngine } from '../host/index.js';
import { serveEngine, type Endpoint, type ServeOptions } from './engine-protocol.js';
import { restartDelayMs, superviseEngine, type EngineChild, type EngineSupervisor } from './engine-supervisor.js';

function endpoint<Out, In>(port: MessagePort): Endpoint<Out, In> {
  return {
    send: (m) => port.postMessage(m),
    listen(handler) {
      port.on('message', handler);
      return () => void port.off('message', handler);
    },
  };
}

/** Children that serve `engine` in this process (the first `failStarts` fail to open it); `closed` counts closes. */
function children(serve: Partial<ServeOptions> = {}, failStarts = 0) {
  const engine = fakeEngine();
  const spawned: EngineChild[] = [];
  const started: string[][] = [];
  let closed = 0;
  const spawn = (): EngineChild => {
    const { port1, port2 } = new MessageChannel();
    const exits: (() => void)[] = [];
    let alive = true;
    const kill = () => {
      if (!alive) return;
      alive = false;
      port1.close();
      port2.close();
      setImmediate(() => exits.forEach((l) => l()));
    };
    void serveEngine(endpoint(port2), {
      async open(start) {
        started.push(start.argv);
        if (started.length <= failStarts) throw new Error('locked');
        return {
          // exportReceipts never answers: a call in flight when the child dies.
          call: (m, a) => (m === 'exportReceipts' ? new Promise(() => {}) : callEngine(engine, m, a)),
          onEvent: engine.onEvent,
          close: async () => void closed++,
        };
      },
      failure: () => ({ error: { code: 'database-locked', message: 'the wallet is locked' }, retry: true }),
      ...serve,
    });
    const child = { port: endpoint<never, never>(port1), onExit: (l: () => void) => void exits.push(l), kill };
    spawned.push(child);
    return child;
  };
  return { engine, spawn, spawned, started, closed: () => closed };
}

function supervise(c: ReturnType<typeof children>): EngineSupervisor & { events: EngineEvent[]; next(kind: EngineEvent['kind']): Promise<EngineEvent> } {
  const s = superviseEngine({ spawn: c.spawn, start: { argv: ['--data', 'w'], defaultDataDir: '/d' }, backoffMs: () => 5 });
  onTestFinished(() => s.stop());
  const events: EngineEvent[] = [];
  s.onEvent((e) => events.push(e));
  const next = (kind: EngineEvent['kind']) => new Promise<EngineEvent>((r) => { const off = s.onEvent((e) => e.kind === kind && (off(), r(e))); });
  return Object.assign(s, { events, next });
}

describe('engine process protocol and supervisor', () => {
  it('holds calls until the engine is ready, answers each with a Reply, forwards events', async () => {
    const c = children();
    const s = supervise(c);
    expect(s.state).toBe('starting');
    const [wallet, bad, unknown] = await Promise.all([s.call('getWallet', []), s.call('topUp', [0]), s.call('nope' as never, [])]);
    expect(s.state).toBe('running');
    expect(c.started).toEqual([['--data', 'w']]);
    expect(wallet).toMatchObject({ ok: true, value: { balance: 200 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(unknown).toEqual({ ok: false, error: { code: 'bad-request', message: 'unknown method' } });
    const forwarded = new Promise((r) => { const off = s.onEvent((e) => (off(), r(e))); });
    const emitted: EngineEvent[] = [];
    c.engine.onEvent((e) => emitted.push(e));
    c.engine.unplug();
    expect(emitted.length).toBeGreaterThan(0);
    expect(await forwarded).toEqual(emitted[0]);
  });

  it('restarts a dead engine after a delay: the call in flight gets an error, the window an alarm, then a fresh status', async () => {
    const c = children();
    const s = supervise(c);
    await s.call('getStatus', []);
    const lost = s.call('exportReceipts', [1]);
    const alarm = s.next('alarm');
    const back = s.next('status');
    c.spawned[0]!.kill();
    expect(await lost).toEqual({ ok: false, error: { code: 'internal', message: 'the engine stopped before answering' } });
    expect(await alarm).toMatchObject({ code: 'internal', message: expect.stringMatching(/^The engine stopped unexpectedly; it starts again in 1 s/) });
    expect(s.state).not.toBe('running');
    expect(await back).toMatchObject({ kind: 'status', status: { version: '0.1.0-test' } });
    expect(c.spawned).toHaveLength(2);
    expect(await s.call('getWallet', [])).toMatchObject({ ok: true });
  });

  it('a start that cannot succeed is not retried: the alarm and every call say why', async () => {
    const c = children({
      open: () => Promise.reject(new Error('bad option')),
      failure: () => ({ error: { code: 'bad-request', message: '--socks wants HOST:PORT' }, retry: false }),
    });
    const s = supervise(c);
    const alarm = s.next('alarm');
    expect(await s.call('getStatus', [])).toEqual({ ok: false, error: { code: 'bad-request', message: '--socks wants HOST:PORT' } });
    expect(await alarm).toMatchObject({ code: 'bad-request', message: 'The engine cannot start: --socks wants HOST:PORT' });
    expect(s.state).toBe('failed');
    expect(c.spawned).toHaveLength(1);
  });

  it('a start that may succeed later is retried', async () => {
    const c = children({}, 1);
    const s = supervise(c);
    const alarm = s.next('alarm');
    expect(await s.call('getWallet', [])).toMatchObject({ ok: true });
    expect(await alarm).toMatchObject({ code: 'database-locked', message: expect.stringMatching(/^The engine could not start \(the wallet is locked\); it starts again/) });
    expect(c.spawned).toHaveLength(2);
  });

  it('stop closes the engine (its wallet writes finish) and ends the process; later calls are refused', async () => {
    const c = children();
    const s = supervise(c);
    await s.call('getStatus', []);
    await s.stop();
    expect(s.state).toBe('stopped');
    expect(c.closed()).toBe(1);
    expect(await s.call('getStatus', [])).toEqual({ ok: false, error: { code: 'internal', message: 'the app is closing' } });
    await s.stop();
    expect(c.spawned).toHaveLength(1);
  });

  it('waits 1 s, 2 s, 4 s … between restarts in a row, never more than a minute', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });
});
