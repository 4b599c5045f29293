/**
 * The window's choices on the real engine: the meter chosen on a real pty (socat) with the meter emulator behind
 * it, its readings on the meter's clock and tariff, period start and end from the telegrams, listing with the
 * open port heard; the utility named and pinned through the SOCKS hop, a change refused while a period is open,
 * the mint and the tariff remembered; the log kept.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bytesToHex, newMeterState, p256PublicKey, tokenGen } from '../../protocol/index.js';
import { DEMO_TARIFF, registerMeter, startServers } from '../../scripts/demo-stack.js';
import { waitFor } from '../../test/support/link-walk.js';
import { FAST_PERIOD, startMeterProcess } from '../../test/support/meter-process.js';
import { ptyPair } from '../../test/support/pty.js';
import type { EngineEvent } from '../api/index.js';
import { createEngine } from './index.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';

const tmp = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe('choosing the meter', () => {
  it('reads the chosen port at once, on the meter clock, with period start and end, and remembers the choice', async () => {
    const dir = tmp('sipster-choice-meter-');
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const meter = await startMeterProcess(pair.a, join(dir, 'meter.json'), FAST_PERIOD);
    onTestFinished(() => meter.stop());
    // Without a meter key file, tokens and bills are stored once they verify under the utility's keys (meter-trust.ts).
    const servers = await startServers(tmp('sipster-choice-uc-'));
    onTestFinished(() => servers.close());
    await registerMeter(servers.uc.adminUrl, servers.adminToken,
      { meter: meter.keys.meter!, set: 1, setPublicKey: bytesToHex(meter.keys.setPublicKey), billPublicKey: bytesToHex(meter.keys.billPublicKey) }, []);
    const open = () => createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, tickMs: 3_600_000 });
    const engine = await open();
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    expect((await engine.getStatus()).meter.source).toEqual({ kind: 'none' });
    await expect(engine.chooseMeter({ kind: 'demo' })).rejects.toMatchObject({ code: 'bad-request', message: /no demo meter/ });
    await expect(engine.chooseMeter({ kind: 'port' } as never)).rejects.toMatchObject({ code: 'bad-request' });

    expect(await engine.chooseMeter({ kind: 'port', path: pair.b })).toMatchObject({ state: 'waiting', source: { kind: 'port', path: pair.b } });
    await waitFor(() => events.some((e) => e.kind === 'meter' && e.meter.state === 'receiving'), 10_000, 'a meter event: receiving');
    // FAST_PERIOD starts the meter's clock on 2026-01-05 and runs it 10 800 times faster than ours.
    const rounds = setInterval(() => void engine.runOnce(), 1000); // the engine's rounds, as its timer would run them
    onTestFinished(() => clearInterval(rounds));
    // A busy machine may see the bill by the third telegram: wait for a few readings too.
    await waitFor(() => events.some((e) => e.kind === 'bill-received') && events.filter((e) => e.kind === 'reading').length > 3, 30_000, 'the first bill');
    clearInterval(rounds);
    const readings = await engine.getReadings(null);
    expect(readings.length).toBeGreaterThan(3);
    for (const r of readings) {
      expect(r.at).toMatch(/^2026-01-(0[5-9]|1\d)T/);
      expect([1, 2]).toContain(r.tariff);
    }
    const billed = events.find((e) => e.kind === 'bill-received') as Extract<EngineEvent, { kind: 'bill-received' }>;
    const period = await engine.getPeriod(billed.period);
    expect(period.start).not.toBeNull();
    expect(period.end).not.toBeNull();
    expect(period.end! > period.start!).toBe(true);
    expect(readings.map((r) => r.at)).toContain(period.end);

    // The open port is locked, so it is not probed: it speaks P1 because data arrives on it.
    const ports = await engine.listPorts(true);
    expect(ports).toContainEqual({ path: pair.b, manufacturer: null, product: null, vendorId: null, productId: null, speaksP1: true, line: 'dsmr4' });
    expect((await engine.listPorts(false)).find((p) => p.path === pair.b)?.speaksP1).toBeNull();
    expect((await engine.getLogs(100)).map((l) => l.message)).toContain(`meter source: port ${pair.b} (dsmr4)`);
    await expect(engine.getLogs(0)).rejects.toMatchObject({ code: 'bad-request' });
    await engine.close();

    const again = await open();
    expect((await again.getStatus()).meter.source).toEqual({ kind: 'port', path: pair.b, line: 'dsmr4' });
    const quiet: EngineEvent[] = [];
    again.onEvent((e) => quiet.push(e));
    expect(await again.chooseMeter({ kind: 'none' })).toMatchObject({ state: 'waiting', source: { kind: 'none' } });
    expect(quiet).toContainEqual({ kind: 'meter', meter: expect.objectContaining({ source: { kind: 'none' } }) });
    const before = (await again.getReadings(null)).length;
    await new Promise((r) => setTimeout(r, 1500)); // the meter keeps writing; nothing is read any more
    expect((await again.getReadings(null)).length).toBe(before);
    await again.close();
  });

  it("reads the host's demo meter when nothing else is chosen", async () => {
    const dir = tmp('sipster-choice-demo-');
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const meter = await startMeterProcess(pair.a, join(dir, 'meter.json'), FAST_PERIOD);
    onTestFinished(() => meter.stop());
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), tickMs: 3_600_000, demoMeter: { port: pair.b, keys: meter.keys } });
    onTestFinished(() => engine.close());
    await expect.poll(async () => (await engine.getStatus()).meter, { timeout: 10_000 }).toMatchObject({ state: 'receiving', source: { kind: 'demo' } });
  });
});

describe('choosing the utility, the mint and the tariff', () => {
  it('pins the utility named through the hop, refuses another while a period is open, and remembers mint and tariff', async () => {
    const [a, b] = await Promise.all([startServers(tmp('sipster-uc-a-')), startServers(tmp('sipster-uc-b-'))]);
    onTestFinished(async () => { await a.close(); await b.close(); });
    const dir = tmp('sipster-choice-uc-');
    const open = (home: string) => createEngine({ unlock: testUnlock, dataDir: join(dir, home), socks: { ...a.hop, label: 'demo-hop' }, tickMs: 3_600_000 });
    const engine = await open('one');
    onTestFinished(() => engine.close());
    await expect(engine.setUtility('ftp://127.0.0.1/uc')).rejects.toMatchObject({ code: 'bad-request' });
    await expect(engine.setUtility('http://user:pw@127.0.0.1/uc')).rejects.toMatchObject({ code: 'bad-request' });
    // The token below verifies under set 1's key, as the utility publishes it: a period is then open.
    await registerMeter(a.uc.adminUrl, a.adminToken, { meter: 'M-X', set: 1, setPublicKey: bytesToHex(p256PublicKey(new Uint8Array(32).fill(7))), billPublicKey: bytesToHex(p256PublicKey(new Uint8Array(32).fill(8))) }, []);
    const pinned = await engine.setUtility(a.uc.url);
    expect(pinned).toMatchObject({ url: a.uc.url.replace(/\/$/, ''), state: 'reachable', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(a.hop.log.length).toBeGreaterThan(0);
    expect((await engine.getWallet()).mintUrl).toBe(a.mintUrl.replace(/\/$/, ''));

    const [token] = [tokenGen(newMeterState('M-X', 1, 1, new Uint8Array(randomBytes(32))), new Uint8Array(32).fill(7)).token];
    engine.ingest({ kind: 'token', token: token! });
    await expect(engine.setUtility(b.uc.url)).rejects.toMatchObject({ code: 'bad-request', message: /period 1 is not settled/ });
    expect((await engine.getStatus()).utility.fingerprint).toBe(pinned.fingerprint);

    // A wallet with nothing open may change its utility: a new pin, and the new utility's mint.
    const other = await open('two');
    onTestFinished(() => other.close());
    await other.setUtility(a.uc.url);
    const moved = await other.setUtility(b.uc.url);
    expect(moved.fingerprint).not.toBe(pinned.fingerprint);
    expect((await other.getWallet()).mintUrl).toBe(b.mintUrl.replace(/\/$/, ''));
    expect((await other.setMint('http://127.0.0.1:9/mint')).mintUrl).toBe('http://127.0.0.1:9/mint');
    await other.runOnce(); // the utility names its mint again; the user's choice stays
    expect((await other.getWallet()).mintUrl).toBe('http://127.0.0.1:9/mint');
    expect((await other.setMint(null)).mintUrl).toBe(b.mintUrl.replace(/\/$/, ''));

    expect(await other.getTariff()).toEqual({ ...DEMO_TARIFF, source: 'utility' }); // published in the utility's /v1/params
    await expect(other.setTariff({ currency: 'euro', tokenValue: 0.1, perKWh: [0.3] })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(other.setTariff({ currency: 'EUR', tokenValue: 0.1, perKWh: [] })).rejects.toMatchObject({ code: 'bad-request' });
    expect(await other.setTariff({ currency: 'chf', tokenValue: 0.25, perKWh: [0.2, 0.31] })).toEqual({ currency: 'CHF', tokenValue: 0.25, perKWh: [0.2, 0.31], source: 'user' });
    await other.close();
    const back = await open('two');
    onTestFinished(() => back.close());
    expect(await back.getTariff()).toEqual({ currency: 'CHF', tokenValue: 0.25, perKWh: [0.2, 0.31], source: 'user' });
    expect((await back.getStatus()).utility.fingerprint).toBe(moved.fingerprint);
  });
});
