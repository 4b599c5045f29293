/**
 * Every meter source through the ENGINE end to end (issue 13): readings, tokens and bills arrive in the engine's
 * views and events.
 * - DSMR 2.2/3.0 on a real pty (socat): the corpus's telegrams (no CRC) read at 9600 7E1 once chosen with `dsmr22`.
 * - `tcp://` on loopback: the meter emulator's bytes through a real TCP server, the connection cut mid-stream and the
 *   server gone for a while; the period's bill and every token still arrive (the carousel sends again what was lost).
 * - `homewizard://` on loopback: an HTTP server answering as HomeWizard's P1 meter documents (503, then the corpus's
 *   telegrams as text/plain), each telegram one reading however often it is asked for.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type MeterPublicKeys, startMeter } from '../../meter-emulator/index.js';
import { registerMeter, startServers } from '../../scripts/demo-stack.js';
import { dsmrBytes, dsmrIndex } from '../../test/support/dsmr-testdata.js';
import { waitFor } from '../../test/support/link-walk.js';
import { homeWizardMeter, tcpMeter } from '../../test/support/net-meter.js';
import { ptyPair } from '../../test/support/pty.js';
import type { EngineEvent } from '../api/index.js';
import { type Engine, createEngine } from './index.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';

const tmp = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/**
 * `utilityFor`: a meter whose tokens and bills the engine should store: without a meter key file they are stored once
 * they verify under a utility's keys (meter-trust.ts), so a real UC with the meter registered, and rounds running.
 */
async function engineIn(dir: string, utilityFor?: MeterPublicKeys): Promise<{ engine: Engine; events: EngineEvent[] }> {
  let utility = {};
  if (utilityFor) {
    const servers = await startServers(join(dir));
    onTestFinished(() => servers.close());
    await registerMeter(servers.uc.adminUrl, servers.adminToken, utilityFor, []);
    utility = { ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' } };
  }
  const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), tickMs: utilityFor ? 1_000 : 3_600_000, ...utility });
  if (utilityFor) await engine.runOnce(); // the utility pinned (its pairing check done) before the meter is read
  onTestFinished(() => engine.close());
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  return { engine, events };
}

/** The energy a corpus telegram's expected values give (tariffs 1 + 2, Wh), as the engine's reading shows it. */
function expectedWh(file: string): number {
  const e = dsmrIndex().find((x) => x.file === file)!.expected as Record<string, string>;
  return Math.round((Number(e.import_t1_kwh) + Number(e.import_t2_kwh)) * 1000);
}

describe('DSMR 2.2/3.0 meters through the engine', () => {
  it('reads the corpus’s DSMR 2.2 and 3.0 telegrams on a real pty chosen at 9600 7E1 without CRC', async () => {
    const dir = tmp('sipster-dsmr22-');
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const { engine, events } = await engineIn(dir);
    const files = ['dsmr/telegrams/dp_nl-v2.2-iskra-mt382.txt', 'dsmr/telegrams/dp_nl-v3.0-iskra-mt382.txt', 'dsmr/telegrams-quirks/dr_nl-v2.2-iskra-mt382-1003.txt'];
    expect(await engine.chooseMeter({ kind: 'port', path: pair.b, line: 'dsmr22' })).toMatchObject({ source: { kind: 'port', path: pair.b, line: 'dsmr22' } });
    // The port opens in the background: the first telegram is written until it is heard.
    const [first] = files as [string];
    for (let i = 0; i < 50 && !events.some((e) => e.kind === 'reading'); i++) {
      writeFileSync(pair.a, dsmrBytes(first));
      await new Promise((r) => setTimeout(r, 200));
    }
    await waitFor(() => events.some((e) => e.kind === 'reading'), 5_000, 'the first reading');
    await new Promise((r) => setTimeout(r, 300));
    const heard = events.filter((e) => e.kind === 'reading').length;
    for (const f of files) {
      writeFileSync(pair.a, dsmrBytes(f));
      await new Promise((r) => setTimeout(r, 300)); // one telegram after the other, as the meter sends them
    }
    await waitFor(() => events.filter((e) => e.kind === 'reading').length === heard + files.length, 10_000, 'a reading per telegram');
    expect((await engine.getReadings(null)).map((r) => r.energyWh)).toEqual([...Array<number>(heard).fill(expectedWh(first)), ...files.map(expectedWh)]);
    expect((await engine.getStatus()).meter).toMatchObject({ state: 'receiving', source: { kind: 'port', path: pair.b, line: 'dsmr22' } });
    expect((await engine.getLogs(50)).map((l) => l.message)).toContain(`meter source: port ${pair.b} (dsmr22)`);
  });
});

describe('network meters through the engine', () => {
  it('tcp://: the meter emulator behind a TCP server, cut mid-stream and gone a while; the bill and every token arrive', async () => {
    const dir = tmp('sipster-tcp-meter-');
    const server = await tcpMeter();
    onTestFinished(() => server.stop());
    // A day in 12 s of real time, ~70 tokens: the carousel of the next period brings back period 1's lost tokens.
    const stream = new PassThrough();
    const meter = await startMeter({ port: { stream }, seedFile: join(dir, 'meter.json'), speed: 7_200, periodHours: 24, unit: 0.05, startMs: Date.UTC(2026, 0, 5), householdSeed: 7 });
    onTestFinished(() => meter.stop());
    let current: Socket | null = null;
    const serve = async () => {
      const s = await server.nextConnection();
      current = s;
      stream.pipe(s);
      s.once('close', () => stream.unpipe(s));
    };
    void serve();

    const { engine, events } = await engineIn(dir, meter.publicKeys);
    const address = `tcp://127.0.0.1:${server.port}`;
    expect(await engine.chooseMeter({ kind: 'network', address })).toMatchObject({ source: { kind: 'network', address, line: 'dsmr4' } });
    await waitFor(() => events.some((e) => e.kind === 'reading'), 10_000, 'a reading over TCP');
    expect((await engine.getStatus()).meter.state).toBe('receiving');

    current!.destroy(); // cut mid-stream: the half telegram is dropped, the link reconnects
    void serve();
    await waitFor(() => events.filter((e) => e.kind === 'meter').some((e) => e.kind === 'meter' && e.meter.state === 'disconnected'), 5_000, 'the engine to see the cut');
    const readingsBefore = events.filter((e) => e.kind === 'reading').length;
    await waitFor(() => events.filter((e) => e.kind === 'reading').length > readingsBefore + 2, 10_000, 'readings after the reconnect');
    await server.stop(); // the dongle is off for a while
    await new Promise((r) => setTimeout(r, 1_000));
    await server.start();
    void serve();

    await waitFor(() => events.some((e) => e.kind === 'bill-received' && e.period === 1), 60_000, 'the bill of period 1');
    const bill = (await engine.getPeriod(1)).bill;
    await expect.poll(async () => (await engine.getPeriod(1)).tokens, { timeout: 90_000 }).toBe(bill.count);
    expect(bill.count).toBeGreaterThan(20);
    expect((await engine.getStatus()).meter).toMatchObject({ state: 'receiving', source: { kind: 'network', address } });
  });

  it('homewizard://: 503 is waiting, then each telegram the device serves is one reading in the engine', async () => {
    const dir = tmp('sipster-hw-meter-');
    const hw = await homeWizardMeter();
    onTestFinished(() => hw.close());
    const { engine, events } = await engineIn(dir);
    expect(await engine.chooseMeter({ kind: 'network', address: hw.address })).toMatchObject({ source: { kind: 'network', address: hw.address } });
    await waitFor(() => hw.requests.length >= 2, 5_000, 'two polls');
    expect((await engine.getStatus()).meter.state).toBe('waiting');

    const files = ['dsmr/telegrams/dr_nl-v4.2-kaifa.txt', 'dsmr/telegrams/dp_nl-v5.0-iskra-mt382.txt'];
    for (const f of files) {
      hw.answer = { telegram: dsmrBytes(f) };
      const polls = hw.requests.length;
      await waitFor(() => hw.requests.length >= polls + 3, 10_000, 'three polls of the same telegram');
    }
    await waitFor(() => events.filter((e) => e.kind === 'reading').length === files.length, 5_000, 'one reading per telegram');
    expect((await engine.getReadings(null)).map((r) => r.energyWh)).toEqual(files.map(expectedWh));
    expect((await engine.getStatus()).meter.state).toBe('receiving');

    hw.answer = { status: 404 };
    await expect.poll(async () => (await engine.getStatus()).meter.state, { timeout: 10_000 }).toBe('disconnected');
    expect((await engine.getLogs(50)).map((l) => l.message)).toContain('the meter link is down: no telegram API there: not a HomeWizard P1 meter, or its firmware is too old');
  });
});
