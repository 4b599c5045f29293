import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bytesToHex, newMeterState, p256PublicKey, tokenGen, type MeterState } from '../../protocol/index.js';
import { registerMeter, startServers } from '../../scripts/demo-stack.js';
import { p256SecretKey } from '../../scripts/uc-fixture.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';
import { startRecorder } from '../../test/support/recorder.js';
import type { EngineEvent } from '../api/index.js';
import { createEngine } from './index.js';

describe('key consistency: /v1/params read over two independent circuits', () => {
  it("a utility that answers one connection with another mint is refused ('params-inconsistent'); consistent again, payments go on; again once per period", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-consistency-'));
    const servers = await startServers(dir);
    const front = await startRecorder(servers.uc.url);
    onTestFinished(async () => { await front.close(); await servers.close(); rmSync(dir, { recursive: true, force: true }); });
    const setKey = p256SecretKey();
    await registerMeter(servers.uc.adminUrl, servers.adminToken,
      { meter: 'M-TWO', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(p256SecretKey())) }, [1]);
    let meter: MeterState = newMeterState('M-TWO', 1, 1, new Uint8Array(randomBytes(32)));
    const emit = () => { const g = tokenGen(meter, setKey); meter = g.state; return g.token; };

    // Every second connection is shown its own mint: the household would be singled out by its coins.
    let n = 0;
    front.respond = async (req, forward) => {
      const a = await forward();
      if (req.url !== '/v1/params' || n++ % 2 === 0) return a;
      const body = JSON.parse(a.body) as { mint: { url: string } };
      return { ...a, body: JSON.stringify({ ...body, mint: { ...body.mint, url: `${body.mint.url}/t/${randomBytes(4).toString('hex')}` } }) };
    };
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: front.url, socks: { ...servers.hop, label: 'demo-hop' },
      payDelayMs: () => 0, tickMs: 3_600_000 });
    onTestFinished(() => engine.close());
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const params = () => front.exchanges.filter((x) => x.url === '/v1/params');

    await engine.runOnce();
    await engine.runOnce();
    expect((await engine.getStatus()).utility).toMatchObject({ state: 'params-inconsistent', fingerprint: null }); // nothing pinned
    expect(events.filter((e) => e.kind === 'alarm' && e.code === 'params-inconsistent')).toHaveLength(1); // said once
    expect(params()).toHaveLength(4); // two a round, each on its own connection and SOCKS credentials
    expect(new Set(params().map((x) => x.connection)).size).toBe(4);
    expect(events.filter((e) => e.kind === 'token-paid')).toEqual([]);
    const usernames = servers.hop.log.map((c) => c.username);
    expect(new Set(usernames).size).toBe(usernames.length);
    expect(front.exchanges.filter((x) => x.url !== '/v1/params')).toEqual([]);
    await expect(engine.topUp(2)).rejects.toMatchObject({ code: 'mint-unreachable' }); // no mint taken from an inconsistent utility
    expect(params()).toHaveLength(6); // the top-up asked again (twice), in vain

    front.respond = undefined; // the same answer for everyone again: pinned, and payments go on
    await engine.runOnce();
    expect((await engine.getStatus()).utility.state).toBe('reachable');
    expect(params()).toHaveLength(8);
    await engine.topUp(2);
    engine.ingest({ kind: 'token', token: emit() });
    await engine.runOnce(); // the first token of period 1: the check runs again for the new period, then the token is paid
    expect(params()).toHaveLength(10);
    expect(await engine.getPeriod(1)).toMatchObject({ paid: 1 });
    engine.ingest({ kind: 'token', token: emit() });
    await engine.runOnce(); // the same period: not again
    expect(params()).toHaveLength(10);
    expect(await engine.getPeriod(1)).toMatchObject({ paid: 2 });
  });
});
