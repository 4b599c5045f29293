import { describe, expect, it } from 'vitest';
import type { ControlEvent } from './control-protocol.js';
import { type RunningTor, type TorEvent, TorSupervisor, backoffDelay } from './supervisor.js';

/** A tor that the test drives: bootstrap lines and the exit are the test's to send. */
function fakeTor(socksPort: number) {
  let exit!: (code: number | null) => void;
  let listener: (e: ControlEvent) => void = () => {};
  let stopped = false;
  const tor: RunningTor = {
    pid: 4242, socksPort, controlPort: 1, cookieFile: '/nonexistent',
    control: {
      onEvent: (l) => { listener = l; return () => {}; },
      setEvents: async () => {},
      bootstrapPhase: async () => ({ progress: 0, tag: 'starting', summary: 'Starting', warning: null }),
    },
    exited: new Promise((r) => (exit = r)),
    stop: async () => { stopped = true; exit(null); },
  };
  const progress = (p: number) => listener({ name: 'STATUS_CLIENT', body: `NOTICE BOOTSTRAP PROGRESS=${p} TAG=t SUMMARY="s"` });
  return { tor, progress, crash: (code: number) => exit(code), stopped: () => stopped };
}

/** A supervisor over scripted tors; waits are recorded and return at once. */
function harness(script: (attempt: number, port: number | 'auto') => RunningTor | Error) {
  const events: TorEvent[] = [];
  const waits: number[] = [];
  const ports: (number | 'auto')[] = [];
  const sup = new TorSupervisor({ kind: 'own', dataDir: '/nonexistent' }, {
    run: async (_src, port) => {
      ports.push(port);
      const r = script(ports.length - 1, port);
      if (r instanceof Error) throw r;
      return r;
    },
    wait: async (ms) => { waits.push(ms); },
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2 },
  });
  sup.onEvent((e) => events.push(e));
  const next = (kind: TorEvent['kind']) => new Promise<TorEvent>((r) => {
    const off = sup.onEvent((e) => { if (e.kind === kind) { off(); r(e); } });
  });
  return { sup, events, waits, ports, next };
}

describe('backoffDelay', () => {
  it('grows by the factor and stops at the cap', () => {
    const b = { initialMs: 1_000, maxMs: 60_000, factor: 2 };
    expect([0, 1, 2, 5, 6, 30].map((a) => backoffDelay(a, b))).toEqual([1_000, 2_000, 4_000, 32_000, 60_000, 60_000]);
  });
});

describe('TorSupervisor (own tor)', () => {
  it('is fail-closed until Bootstrapped 100%, reports progress, then gives the SOCKS endpoint', async () => {
    const t = fakeTor(9555);
    const h = harness(() => t.tor);
    h.sup.start();
    await h.next('bootstrap');
    expect(h.sup.route()).toBeNull();
    t.progress(50);
    expect(h.sup.route()).toBeNull();
    const ready = h.next('ready');
    t.progress(100);
    expect(await ready).toEqual({ kind: 'ready', socks: { host: '127.0.0.1', port: 9555 } });
    expect(h.sup.route()).toEqual({ host: '127.0.0.1', port: 9555 });
    expect(h.events.filter((e) => e.kind === 'bootstrap').map((e) => e.kind === 'bootstrap' && e.phase.progress)).toEqual([0, 50, 100]);
    await h.sup.stop();
    expect(t.stopped()).toBe(true);
    expect(h.sup.route()).toBeNull();
    expect(h.events.at(-1)).toEqual({ kind: 'stopped' });
  });

  it('restarts a tor that dies, with growing waits, on the SOCKS port the engine already knows', async () => {
    const tors = [fakeTor(9600), fakeTor(9600), fakeTor(9600)];
    const h = harness((i) => tors[i]!.tor);
    h.sup.start();
    await h.next('bootstrap');
    tors[0]!.progress(60);
    let restarted = h.next('bootstrap');
    tors[0]!.crash(1); // dies before it was ever ready
    await restarted;
    expect(h.sup.route()).toBeNull();
    restarted = h.next('bootstrap');
    tors[1]!.crash(1);
    await restarted;
    expect(h.waits).toEqual([100, 200]);
    expect(h.ports).toEqual(['auto', 9600, 9600]);
    expect(h.events.filter((e) => e.kind === 'exited')).toEqual([
      { kind: 'exited', code: 1, restartInMs: 100 }, { kind: 'exited', code: 1, restartInMs: 200 },
    ]);
    await h.sup.stop();
  });

  it('starts the backoff over once a tor got ready', async () => {
    const tors = [fakeTor(1), fakeTor(1), fakeTor(1)];
    const h = harness((i) => tors[i]!.tor);
    h.sup.start();
    await h.next('bootstrap');
    let again = h.next('bootstrap');
    tors[0]!.crash(1);
    await again;
    tors[1]!.progress(100);
    again = h.next('bootstrap');
    tors[1]!.crash(1);
    await again;
    expect(h.waits).toEqual([100, 100]);
    await h.sup.stop();
  });

  it('retries a start that fails, on a port tor may choose again', async () => {
    const t = fakeTor(9700);
    const h = harness((i) => (i < 3 ? new Error('tor exited (1) before its control port opened') : t.tor));
    h.sup.start();
    const ready = h.next('ready');
    await h.next('bootstrap');
    t.progress(100);
    await ready;
    expect(h.waits).toEqual([100, 200, 400]);
    expect(h.events.filter((e) => e.kind === 'start-failed')).toHaveLength(3);
    expect(h.ports).toEqual(['auto', 'auto', 'auto', 'auto']);
    await h.sup.stop();
  });

  it('stop() during a start leaves no tor running and no restart', async () => {
    const t = fakeTor(1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sup = new TorSupervisor({ kind: 'own', dataDir: '/x' }, { run: async () => { await gate; return t.tor; }, wait: async () => {} });
    const events: TorEvent[] = [];
    sup.onEvent((e) => events.push(e));
    sup.start();
    const stopping = sup.stop();
    release();
    await stopping;
    expect(t.stopped()).toBe(true);
    expect(events.map((e) => e.kind)).toEqual(['starting', 'stopped']);
  });

  it('whenReady rejects when the supervisor stops first', async () => {
    const h = harness(() => fakeTor(1).tor);
    h.sup.start();
    const ready = h.sup.whenReady(10_000);
    await h.sup.stop();
    await expect(ready).rejects.toThrow('stopped');
  });
});

describe('TorSupervisor (attach)', () => {
  it('takes a named SOCKS port as it is and never stops it', async () => {
    const sup = new TorSupervisor({ kind: 'attach', socks: { host: '127.0.0.1', port: 9150 } });
    const ready = sup.whenReady(1_000);
    sup.start();
    expect(await ready).toEqual({ host: '127.0.0.1', port: 9150 });
    expect(sup.running()).toBeNull();
    await sup.stop();
  });
});
