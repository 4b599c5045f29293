/**
 * A whole accelerated period paid through Tor, for real (issue 6 §Tor, §Timing privacy): the private Tor network,
 * the engine with its own managed tor joined to it, the meter emulator as its own process on a socat pty, the
 * timing policy on a scaled billing calendar. Every request that reaches the UC or the mint came through the
 * engine's tor on a circuit of its own (the tor's STREAM events carry each request's SOCKS username), the period
 * is settled, and with the engine's tor killed nothing leaves ('tor-not-ready') until it is back.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent, TorView } from '../../main/api/index.js';
import { createEngine, type Engine } from '../../main/engine/index.js';
import { TorControl } from '../../main/engine/tor/index.js';
import { registerMeter, startServers } from '../../scripts/demo-stack.js';
import { type PrivateTorNetwork, countingRelay, startPrivateTorNetwork, watchStreamsIn } from '../../scripts/tor-network/index.js';
import { startMeterProcess } from '../support/meter-process.js';
import { ptyPair } from '../support/pty.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';

const PERIOD_S = 20;
/** A day-long meter period in PERIOD_S seconds, about 30 tokens (a unit of 0.1). */
const METER = ['--speed', String(86_400 / PERIOD_S), '--period-hours', '24', '--interval-ms', '500', '--unit', '0.1',
  '--start', '2026-01-05T00:00:00Z', '--household-seed', '7'];
/** The engine's billing calendar, scaled like the meter: the timing policy's 5-day grace window becomes 10 s. */
const BILLING = { periodMs: PERIOD_S * 1000, graceMs: 10_000 };

let net: PrivateTorNetwork;
const dir = mkdtempSync(join(tmpdir(), 'sipster-tor-period-'));
let networkStartMs = 0;

beforeAll(async () => {
  const t0 = Date.now();
  net = await startPrivateTorNetwork({ dir: join(dir, 'net') }); // fails (never skips) without tor: findTor says what to install
  networkStartMs = Date.now() - t0;
});
afterAll(async () => {
  await net?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves with the first event that `match` accepts, or fails after `ms`. */
function next<T extends EngineEvent>(engine: Engine, match: (e: EngineEvent) => e is T, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { off(); reject(new Error(`no ${what} within ${ms} ms`)); }, ms);
    const off = engine.onEvent((e) => { if (match(e)) { clearTimeout(t); off(); resolve(e); } });
  });
}
/** The PID of the engine's own tor, asked through its control port (found in its data folder). */
async function torPid(home: string): Promise<number> {
  const port = Number(/:(\d+)/.exec(readFileSync(join(home, 'tor', 'control-port'), 'utf8'))![1]);
  const control = await TorControl.connect(port);
  try {
    await control.authenticate({ kind: 'cookie', cookieFile: join(home, 'tor', 'control_auth_cookie') });
    return Number((await control.getInfo('process/pid'))['process/pid']);
  } finally {
    control.close();
  }
}
const torIs = (...states: TorView['state'][]) => (e: EngineEvent): e is Extract<EngineEvent, { kind: 'tor' }> => e.kind === 'tor' && states.includes(e.tor.state);

describe('a period paid through the engine\'s own tor on the private Tor network', () => {
  it('pays every token on its own circuit, settles, and fails closed while its tor is down', async () => {
    mkdirSync(join(dir, 'servers'));
    const servers = await startServers(join(dir, 'servers'));
    onTestFinished(() => servers.close());
    // A relay in front of the UC counts every connection that reaches it (one per request). The mint cannot have
    // one: its address is in every coin, and the UC takes only coins of its own mint.
    const uc = await countingRelay(Number(new URL(servers.uc.url).port));
    onTestFinished(() => uc.close());
    const mintPort = new URL(servers.mintUrl).port;
    const pty = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pty.close());

    // The meter starts its period 1 now, as its own process on the pty; the engine reads the other end.
    const meter = await startMeterProcess(pty.a, join(dir, 'meter-state.json'), METER);
    onTestFinished(() => meter.stop());
    const pub = JSON.parse(readFileSync(`${meter.seedFile}.pub.json`, 'utf8')) as { meter: string; set: number; setPublicKey: string; billPublicKey: string };
    await registerMeter(servers.uc.adminUrl, servers.adminToken, pub, [1, 2, 3]);

    const home = join(dir, 'home');
    const engineAt = Date.now();
    const engine = await createEngine({
    unlock: testUnlock,
      dataDir: home, ucUrl: uc.url, proxy: { kind: 'managed' }, tor: { torrc: net.clientTorrc },
      serial: { port: pty.b, keys: meter.keys }, billing: BILLING, topUp: { units: 64, lowWater: 16 }, tickMs: 100,
    });
    onTestFinished(() => engine.close());
    const events: EngineEvent[] = [];
    const paidAt: number[] = [];
    let billAt = 0;
    engine.onEvent((e) => {
      events.push(e);
      if (e.kind === 'token-paid') paidAt.push(Date.now());
      if (e.kind === 'bill-received' && e.period === 1) billAt = Date.now();
    });

    // Fail closed until tor has bootstrapped: tokens wait, nothing reaches the UC, and the status says why.
    const bootstrapping = next(engine, torIs('bootstrapping'), 30_000, 'tor bootstrapping');
    await engine.runOnce();
    const starting = await engine.getStatus();
    expect(starting.queue.blockedBy).toBe('tor-not-ready');
    expect(starting.proxy).toMatchObject({ config: { kind: 'managed' }, anonymous: true, reason: expect.stringMatching(/^Tor is starting/) });
    // The engine's tor: its control port and cookie are in its data folder; watch its streams before it is ready.
    await bootstrapping;
    const streams = await watchStreamsIn(join(home, 'tor'));
    onTestFinished(() => streams.close());
    expect(uc.connections()).toBe(0);
    await next(engine, torIs('ready'), 60_000, 'tor ready');
    const torReadyMs = Date.now() - engineAt;
    expect(events.filter((e) => e.kind === 'tor').map((e) => e.kind === 'tor' && e.tor.progress).at(-1)).toBe(100);

    const settled = await next(engine, (e): e is Extract<EngineEvent, { kind: 'period-settled' }> => e.kind === 'period-settled' && e.period === 1,
      PERIOD_S * 1000 + 60_000, 'settlement of period 1');
    const billToSettledMs = Date.now() - billAt;
    expect(settled.answer).toBe('settled');
    const period = await engine.getPeriod(1);
    expect(period).toMatchObject({ paid: period.tokens, alarms: 0, settlement: { kind: 'settled' } });
    expect(period.tokens).toBeGreaterThan(10);

    // Every request went through the engine's tor, each with its own SOCKS username on its own circuit; every one
    // that reached the UC is one of them. Counted once the meter has stopped and what it sent is paid, so that no
    // request is under way.
    await meter.stop();
    for (let i = 0; i < 300; i++) {
      await engine.runOnce();
      const q = (await engine.getStatus()).queue;
      if (q.scheduled + q.paying === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await engine.runOnce();
    // Streams without a SOCKS username are tor's own (directory fetches), never to the UC or the mint.
    const seen = streams.streams().filter((s) => s.username !== null);
    expect(streams.streams().filter((s) => s.username === null && /:(\d+)$/.exec(s.target)?.[1] === String(uc.port))).toEqual([]);
    expect(new Set(seen.map((s) => s.username)).size).toBe(seen.length);
    expect(new Set(seen.map((s) => s.circuitId)).size).toBe(seen.length);
    const ucStreams = seen.filter((s) => s.target.endsWith(`:${uc.port}`)).length;
    const mintStreams = seen.filter((s) => s.target.endsWith(`:${mintPort}`)).length;
    expect(ucStreams + mintStreams).toBe(seen.length); // nothing else
    expect(uc.connections()).toBe(ucStreams);
    // To the UC: /v1/params read in pairs (two circuits, at first contact and once per period), the meter's bill key
    // at most once, one payment per token paid (period 1's, and period 2's so far), the settlement; nothing else.
    const paid = (await engine.listPeriods()).reduce((n, p) => n + p.paid, 0);
    const asked = uc.requests().map((r) => r.replace(/\/v1\/meters\/.*/, '/v1/meters/:meter'));
    const count = (line: string) => asked.filter((r) => r === line).length;
    const params = count('GET /v1/params');
    const meters = count('GET /v1/meters/:meter'); // none when the engine has the meter's key file
    expect({ pay: count('POST /v1/pay'), settle: count('POST /v1/settle'), paramsPaired: params >= 2 && params % 2 === 0, metersAtMostOnce: meters <= 1 })
      .toEqual({ pay: paid, settle: 1, paramsPaired: true, metersAtMostOnce: true });
    expect(asked.length).toBe(params + meters + paid + 1);
    expect(ucStreams).toBe(asked.length);
    expect(mintStreams).toBeGreaterThan(0); // the top-up
    // Payments per second over Tor, in the busiest 5 s (the backlog heard while tor bootstrapped leaves paced).
    const paidPerSecond = Math.max(...paidAt.map((t) => paidAt.filter((u) => u >= t && u < t + 5_000).length)) / 5;

    // The engine's tor dies: until it is back nothing leaves, and the engine says 'tor-not-ready'.
    const pid = await torPid(home);
    const down = next(engine, torIs('restarting'), 10_000, 'tor restarting');
    const before = uc.connections();
    process.kill(pid, 'SIGKILL');
    await down;
    await engine.runOnce();
    expect((await engine.getStatus()).queue.blockedBy).toBe('tor-not-ready');
    await expect(engine.topUp(1)).rejects.toMatchObject({ code: 'tor-not-ready' });
    expect(uc.connections()).toBe(before);
    // It comes back by itself, and the engine uses it again.
    await next(engine, torIs('ready'), 60_000, 'tor ready again');
    await engine.runOnce();
    expect((await engine.getStatus()).queue.blockedBy).toBeNull();

    const restarted = await torPid(home);
    expect(restarted).not.toBe(pid);
    await engine.close(); // and its tor with it
    expect(() => process.kill(restarted, 0)).toThrow();
    process.stdout.write(`${JSON.stringify({
      torNetworkStartMs: networkStartMs, engineTorReadyMs: torReadyMs, tokens: period.tokens, billToSettledMs,
      paidPerSecond, requestsThroughTor: seen.length,
    })}\n`);
  });
});
