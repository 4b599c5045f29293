/**
 * The engine's own tor, supervised, on the private Tor network (real tor processes): bootstrap progress as events,
 * a circuit per fresh SOCKS username (STREAM events), a crashed tor restarted on the same SOCKS port, and fail
 * closed while it is down and after stop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type PrivateTorNetwork, countingServer, freshIdentity, getThroughSocks, startPrivateTorNetwork, watchStreams,
} from '../../../scripts/tor-network/index.js';
import { type TorEvent, TorSupervisor } from './index.js';

let net: PrivateTorNetwork;
const dir = mkdtempSync(join(tmpdir(), 'sipster-tor-sup-'));

beforeAll(async () => {
  net = await startPrivateTorNetwork({ dir: join(dir, 'net') });
});
afterAll(async () => {
  await net?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const next = (sup: TorSupervisor, kind: TorEvent['kind']) => new Promise<TorEvent>((resolve) => {
  const off = sup.onEvent((e) => { if (e.kind === kind) { off(); resolve(e); } });
});

describe('TorSupervisor running its own tor', () => {
  it('bootstraps, isolates payments by SOCKS credentials, restarts after a crash, and fails closed', async () => {
    const sup = new TorSupervisor(
      { kind: 'own', dataDir: join(dir, 'engine-tor'), torrc: net.clientTorrc },
      { backoff: { initialMs: 2_000, maxMs: 10_000, factor: 2 } },
    );
    const events: TorEvent[] = [];
    sup.onEvent((e) => events.push(e));
    onTestFinished(() => sup.stop());
    const server = await countingServer();
    onTestFinished(() => server.close());

    sup.start();
    const socks = await sup.whenReady(60_000);
    const progress = events.flatMap((e) => (e.kind === 'bootstrap' ? [e.phase.progress] : []));
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const { pid, controlPort, cookieFile } = sup.running()!;
    const streams = await watchStreams(controlPort, cookieFile);
    onTestFinished(() => streams.close());
    const ids = Array.from({ length: 3 }, freshIdentity);
    for (const id of ids) expect((await getThroughSocks(socks.port, server.url, id)).status).toBe(200);
    const circuits = ids.map((id) => streams.circuits(id.username));
    expect(circuits.map((c) => c.length)).toEqual([1, 1, 1]);
    expect(new Set(circuits.flat()).size).toBe(3);
    expect(server.hits()).toBe(3);

    // A crash: the route closes at once, nothing goes out while tor is down, then it comes back on the same port.
    const exited = next(sup, 'exited');
    process.kill(pid, 'SIGKILL');
    expect(await exited).toMatchObject({ kind: 'exited', restartInMs: 2_000 });
    expect(sup.route()).toBeNull();
    await expect(getThroughSocks(socks.port, server.url, freshIdentity(), 5_000)).rejects.toThrow();
    expect(server.hits()).toBe(3);
    expect(await sup.whenReady(60_000)).toEqual(socks);
    expect(sup.running()!.pid).not.toBe(pid);
    expect((await getThroughSocks(socks.port, server.url, freshIdentity())).status).toBe(200);
    expect(server.hits()).toBe(4);

    await sup.stop();
    expect(sup.route()).toBeNull();
    expect(events.at(-1)).toEqual({ kind: 'stopped' });
    await expect(getThroughSocks(socks.port, server.url, freshIdentity(), 5_000)).rejects.toThrow();
    expect(server.hits()).toBe(4);
  });
});

describe('TorSupervisor attached to a tor the user runs', () => {
  it('follows its bootstrap through the control port and leaves it running on stop', async () => {
    const sup = new TorSupervisor({
      kind: 'attach', socks: { host: '127.0.0.1', port: net.socksPort },
      controlPort: net.controlPort, auth: { kind: 'cookie', cookieFile: net.cookieFile },
    });
    const events: TorEvent[] = [];
    sup.onEvent((e) => events.push(e));
    sup.start();
    expect(await sup.whenReady(10_000)).toEqual({ host: '127.0.0.1', port: net.socksPort });
    expect(events).toContainEqual({ kind: 'bootstrap', phase: { progress: 100, tag: 'done', summary: 'Done', warning: null } });
    await sup.stop();
    expect(sup.route()).toBeNull();
    const server = await countingServer();
    onTestFinished(() => server.close());
    expect((await getThroughSocks(net.socksPort, server.url, freshIdentity())).status).toBe(200);
  });

  it('reports a control port it cannot reach, and keeps the route closed', async () => {
    const sup = new TorSupervisor(
      { kind: 'attach', socks: { host: '127.0.0.1', port: net.socksPort }, controlPort: 1 },
      { wait: async (_ms, signal) => { await new Promise((r) => signal.addEventListener('abort', r)); } },
    );
    const failed = next(sup, 'start-failed');
    sup.start();
    expect(await failed).toMatchObject({ kind: 'start-failed', restartInMs: 1_000 });
    expect(sup.route()).toBeNull();
    await sup.stop();
  });
});
