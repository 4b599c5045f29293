/**
 * Follow mode on real parts: a real DSMR 5 telegram (testdata/dsmr/telegrams/dp_nl-v5.0-iskra-mt382.txt) made into a
 * stream by raising its import registers and its clock, telegram after telegram (synthesized here: the corpus has no
 * recorded stream with rising registers), replayed as "the meter" over a real TCP connection on loopback; the follow
 * meter writes a socat pty; the engine reads the other end, pays exactly ⌊cost / unit⌋ tokens to the real UC through
 * the SOCKS hop, and settles the period with its bill. Refusals go through the same real link.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { meterKeysFromJson, openSerialLink } from '../bridge/index.js';
import { fastestBackend } from '../curve-backends/index.js';
import { createEngine } from '../main/engine/index.js';
import type { FollowRefusal } from '../meter-emulator/index.js';
import { encodeP1Time, encodeTelegram } from '../protocol/index.js';
import { registerMeter, startServers } from '../scripts/demo-stack.js';
import { waitFor } from '../test/support/link-walk.js';
import { send, tcpMeter } from '../test/support/net-meter.js';
import { ptyPair } from '../test/support/pty.js';
import { startFollowMeter } from './index.js';
import { testUnlock } from '../scripts/test-wallet-key.js';

const REAL = readFileSync(new URL('../testdata/dsmr/telegrams/dp_nl-v5.0-iskra-mt382.txt', import.meta.url), 'latin1');
const [HEADER, ...BODY] = REAL.split('\r\n').filter((l) => l !== '' && !l.startsWith('!'));
/** 170102192002W: 2017-01-02 18:20:02 UTC. */
const T0 = Date.UTC(2017, 0, 2, 18, 20, 2);
const kwh = (n: number) => `${n.toFixed(3).padStart(10, '0')}*kWh`;

/** The real telegram with its clock, import registers and (optionally) equipment id replaced; a fresh CRC. */
function realTelegram(atMs: number, t1: number, t2: number, equipmentId?: string): Uint8Array {
  const lines = BODY.map((l) => l
    .replace(/^0-0:1\.0\.0\(.*\)$/, `0-0:1.0.0(${encodeP1Time(atMs)})`)
    .replace(/^1-0:1\.8\.1\(.*\)$/, `1-0:1.8.1(${kwh(t1)})`)
    .replace(/^1-0:1\.8\.2\(.*\)$/, `1-0:1.8.2(${kwh(t2)})`)
    .replace(/^0-0:96\.1\.1\(.*\)$/, (l0) => (equipmentId ? `0-0:96.1.1(${equipmentId})` : l0)));
  return encodeTelegram(HEADER!.slice(1), lines);
}

const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-follow-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe('follow mode: a Sipster meter on a real DSMR meter', () => {
  it('a real stream with rising registers → follow meter → pty → the engine pays ⌊cost / unit⌋ tokens and settles', async () => {
    const dir = tmp();
    const real = await tcpMeter();
    onTestFinished(() => real.stop());
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const refusals: FollowRefusal[] = [];
    const follow = await startFollowMeter({
      source: `tcp://127.0.0.1:${real.port}`, port: pair.a, seedFile: join(dir, 'meter.json'), meterId: 'SIPSTER-FOLLOW-1',
      periodHours: 1, unit: 0.02, backend: fastestBackend(), onRefusal: (r) => refusals.push(r),
    });
    onTestFinished(() => follow.stop());
    const keys = follow.meter.publicKeys;

    const servers = await startServers(dir);
    onTestFinished(() => servers.close());
    await registerMeter(servers.uc.adminUrl, servers.adminToken, keys, [1, 2]);
    const engine = await createEngine({
      unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 250,
      serial: { port: pair.b, keys: meterKeysFromJson(JSON.parse(readFileSync(join(dir, 'meter.json.pub.json'), 'utf8'))) },
    });
    onTestFinished(() => engine.close());
    await engine.runOnce();
    expect(await engine.topUp(90)).toMatchObject({ state: 'minted' });

    // Every 3 minutes of the meter's clock: +0.137 kWh low, +0.291 kWh normal, for 12 steps; then one reading past
    // the period's end (19:00 UTC) with the same registers closes period 1.
    const socket = await real.nextConnection();
    const [start1, start2] = [4.426, 2.399];
    let t1 = start1;
    let t2 = start2;
    for (let k = 0; k <= 12; k++) {
      if (k > 0) [t1, t2] = [t1 + 0.137, t2 + 0.291];
      await send(socket, realTelegram(T0 + k * 180_000, t1, t2));
      await sleep(30);
    }
    await send(socket, realTelegram(Date.UTC(2017, 0, 2, 19, 2, 2), t1, t2));
    const cost = Math.round((t1 - start1) * 1000) * 220 + Math.round((t2 - start2) * 1000) * 300; // micro-units
    const expected = Math.floor(cost / 20_000);
    expect(expected).toBe(70); // 1.644 kWh × 0.22 + 3.492 kWh × 0.30 = 1.40928

    await waitFor(() => follow.meter.record.state.period === 2, 30_000, 'the follow meter to close period 1');
    expect(follow.meter.record.state.previous!.count).toBe(expected);
    expect(follow.meter.record.pricedSinceToken).toBe(cost - expected * 20_000);
    let period = await engine.getPeriod(1);
    for (let i = 0; i < 240 && period.settlement.kind !== 'settled'; i++) {
      await sleep(250);
      period = await engine.getPeriod(1);
    }
    expect(period).toMatchObject({ tokens: expected, paid: expected, queued: 0, settlement: { kind: 'settled', answer: 'settled' } });
    expect(refusals).toEqual([]);
    expect(follow.source.counters.telegramsOk).toBe(14);
  });

  it('refuses another meter, a register gone back and a gap longer than the period, read over a real link', async () => {
    const dir = tmp();
    const real = await tcpMeter();
    onTestFinished(() => real.stop());
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const refusals: FollowRefusal[] = [];
    const follow = await startFollowMeter({
      source: `tcp://127.0.0.1:${real.port}`, port: pair.a, seedFile: join(dir, 'meter.json'), periodHours: 1, unit: 0.02,
      backend: fastestBackend(), onRefusal: (r) => refusals.push(r),
    });
    onTestFinished(() => follow.stop());
    const household = openSerialLink({ port: pair.b, keys: meterKeysFromJson(follow.meter.publicKeys), backend: fastestBackend() });
    onTestFinished(() => household.close());
    const socket = await real.nextConnection();
    await send(socket, realTelegram(T0, 10, 20));
    await send(socket, realTelegram(T0 + 10_000, 10.1, 20)); // +0.022: one token
    await waitFor(() => follow.source.counters.telegramsOk === 2, 10_000, 'two telegrams');
    const before = structuredClone(follow.meter.record);
    expect(before.state.current.count).toBe(1);
    await send(socket, realTelegram(T0 + 20_000, 11, 21, '4B3845473030303030303030303030FF'));
    await send(socket, realTelegram(T0 + 30_000, 9.9, 21));
    await send(socket, realTelegram(T0 + 10_000 + 3_601_000, 11, 21)); // P1 time has whole seconds
    await waitFor(() => refusals.length === 3, 10_000, 'three refusals');
    expect(refusals.map((r) => r.code)).toEqual(['other-meter', 'register-backwards', 'gap']);
    expect(follow.meter.record).toEqual(before);
    await waitFor(() => household.counters.telegramsOk > 2, 10_000, 'the follow meter\'s telegrams');
    expect(household.counters.tokensNew).toBe(1);
  });

  it('refuses a meter address that is none, before anything starts', async () => {
    await expect(startFollowMeter({ source: 'tcp://meter', port: '/nonexistent', seedFile: join(tmp(), 'meter.json') }))
      .rejects.toMatchObject({ name: 'LinkError', code: 'bad-address' });
  });
});
