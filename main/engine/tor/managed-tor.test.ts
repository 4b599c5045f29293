import { describe, expect, it } from 'vitest';
import type { TorView } from '../../api/index.js';
import type { ControlEvent } from './control-protocol.js';
import { ManagedTor, nextTorView } from './managed-tor.js';
import type { RunningTor } from './supervisor.js';

const phase = (progress: number, warning: string | null = null) => ({ progress, tag: 't', summary: `at ${progress}`, warning });

describe('nextTorView', () => {
  it('follows a start, a bootstrap, an exit and a restart in plain states', () => {
    const seq = [
      { kind: 'starting', attempt: 0 }, { kind: 'bootstrap', phase: phase(45) }, { kind: 'bootstrap', phase: phase(80, 'no route to host') },
      { kind: 'ready', socks: { host: '127.0.0.1', port: 1 } }, { kind: 'exited', code: 1, restartInMs: 1_000 },
      { kind: 'starting', attempt: 1 }, { kind: 'bootstrap', phase: phase(10) },
    ] as const;
    const views: TorView[] = [];
    let v: TorView = { state: 'starting', progress: 0, summary: null };
    for (const e of seq) views.push((v = nextTorView(v, e)));
    expect(views).toEqual([
      { state: 'starting', progress: 0, summary: null },
      { state: 'bootstrapping', progress: 45, summary: 'at 45' },
      { state: 'bootstrapping', progress: 80, summary: 'no route to host' },
      { state: 'ready', progress: 100, summary: null },
      { state: 'restarting', progress: 0, summary: 'tor exited; starting it again in 1 s' },
      { state: 'restarting', progress: 0, summary: 'tor exited; starting it again in 1 s' },
      { state: 'bootstrapping', progress: 10, summary: 'at 10' },
    ]);
  });

  it('keeps saying why a start failed while it tries again, and ends stopped', () => {
    const failed = nextTorView({ state: 'starting', progress: 0, summary: null }, { kind: 'start-failed', message: 'tor is not installed', restartInMs: 1_000 });
    expect(failed).toEqual({ state: 'failed', progress: 0, summary: 'tor is not installed' });
    expect(nextTorView(failed, { kind: 'starting', attempt: 1 })).toBe(failed);
    expect(nextTorView(failed, { kind: 'stopped' })).toEqual({ state: 'stopped', progress: 0, summary: null });
  });
});

describe('ManagedTor', () => {
  it('has no route until tor is bootstrapped, reports each change, and stops its tor', async () => {
    let listener: (e: ControlEvent) => void = () => {};
    let exit!: (code: number | null) => void;
    const tor: RunningTor = {
      pid: 1, socksPort: 9999, controlPort: 1, cookieFile: '/nonexistent',
      control: { onEvent: (l) => { listener = l; return () => {}; }, setEvents: async () => {}, bootstrapPhase: async () => phase(0) },
      exited: new Promise((r) => (exit = r)),
      stop: async () => exit(null),
    };
    const views: TorView[] = [];
    let managed!: ManagedTor;
    await new Promise<void>((r) => {
      managed = new ManagedTor({ dataDir: '/nonexistent' }, (v) => { views.push(v); if (v.state === 'bootstrapping') r(); }, { run: async () => tor });
    });
    expect(managed.route()).toBeNull();
    listener({ name: 'STATUS_CLIENT', body: 'NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"' });
    expect(managed.route()).toEqual({ host: '127.0.0.1', port: 9999 });
    expect(managed.view).toEqual({ state: 'ready', progress: 100, summary: null });
    await managed.stop();
    expect(managed.route()).toBeNull();
    expect(views.map((v) => v.state)).toEqual(['starting', 'bootstrapping', 'bootstrapping', 'ready', 'stopped']);
  });
});
