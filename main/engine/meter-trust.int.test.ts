import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  billGen, bytesToHex, encodeBillLine, encodeSipsterLine, encodeTelegram, encodeTokenLine, newMeterState, p256PublicKey, tokenGen,
  type BillWithOpening, type MeterState, type Token,
} from '../../protocol/index.js';
import { registerMeter, startServers } from '../../scripts/demo-stack.js';
import { p256SecretKey } from '../../scripts/uc-fixture.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';
import type { EngineEvent } from '../api/index.js';
import { createEngine } from './index.js';

/** A telegram as the meter's serial line carries it (CRC included), read by the engine's link without a meter key file. */
const telegram = (lines: { tokens?: Token[]; bill?: BillWithOpening }) =>
  encodeTelegram('SIP5SIPSTER-1', ['1-3:0.2.8(50)', encodeSipsterLine(1), ...(lines.tokens ?? []).map(encodeTokenLine), ...(lines.bill ? [encodeBillLine(lines.bill)] : [])]);

describe('tokens and bills from the meter input are stored only when they verify under the utility\'s keys', () => {
  it('drops and counts a forged token and forged bills (no meter key file), and the period settles with the genuine bill', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-trust-'));
    const servers = await startServers(dir);
    onTestFinished(async () => { await servers.close(); rmSync(dir, { recursive: true, force: true }); });
    const setKey = p256SecretKey();
    const billKey = p256SecretKey();
    const otherKey = p256SecretKey(); // an attacker's: neither the set's nor the meter's
    await registerMeter(servers.uc.adminUrl, servers.adminToken,
      { meter: 'M-TRUST', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1]);
    let meter: MeterState = newMeterState('M-TRUST', 1, 1, new Uint8Array(randomBytes(32)));
    const genuine = Array.from({ length: 4 }, () => { const g = tokenGen(meter, setKey); meter = g.state; return g.token; });
    const stranger = tokenGen(newMeterState('M-TRUST', 1, 1, new Uint8Array(randomBytes(32))), otherKey).token;

    const line = new PassThrough();
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' },
      payDelayMs: () => 0, tickMs: 3_600_000, demoMeter: { port: { stream: line } } });
    onTestFinished(() => engine.close());
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const readings = () => events.filter((e) => e.kind === 'reading').length;
    const send = async (t: Uint8Array) => {
      const before = readings();
      line.write(t);
      await expect.poll(readings).toBe(before + 1);
    };

    // Before the first contact no key is known: everything is held, nothing stored.
    await send(telegram({ tokens: [{ ...genuine[0]!, sig: stranger.sig }, stranger] })); // a forged copy of a genuine T first, and a stranger
    await send(telegram({ tokens: genuine }));
    expect((await engine.getStatus()).meter.refused).toEqual({ tokens: 0, bills: 0 });
    expect(await engine.listPeriods()).toEqual([]);

    await engine.runOnce(); // pins the utility: the held tokens are checked under set 1's key
    expect((await engine.getStatus()).meter.refused).toEqual({ tokens: 2, bills: 0 });
    expect((await engine.getStatus()).utility.anonymitySets).toEqual([{ set: 1, size: 1, small: true }]); // the utility publishes it; one meter is small
    expect(await engine.topUp(6)).toMatchObject({ state: 'minted' });
    await engine.runOnce();
    expect(await engine.getPeriod(1)).toMatchObject({ tokens: 4, paid: 4, alarms: 0 });

    const bill = billGen(meter, 1, billKey);
    const forged = { ...bill, bill: { ...bill.bill, sig: billGen(meter, 1, otherKey).bill.sig } }; // same R, ρ and K, not the meter's signature
    const countless = { ...billGen(meter, 1, otherKey), count: 2 }; // one that would block the period for ever if it were stored
    const elsewhere = billGen({ ...meter, id: 'M-NOBODY' }, 1, otherKey); // a meter the utility does not know
    await send(telegram({ bill: elsewhere }));
    await send(telegram({ bill: forged }));
    await send(telegram({ bill: countless }));
    await send(telegram({ bill }));
    expect((await engine.getPeriod(1)).settlement).toMatchObject({ kind: 'open' });

    await engine.runOnce(); // asks the utility for the bill keys (M-NOBODY: unknown; M-TRUST: pinned, as a bill verifies under it)
    expect((await engine.getStatus()).meter.refused).toEqual({ tokens: 2, bills: 3 });
    expect((await engine.getPeriod(1)).settlement).toMatchObject({ kind: 'settled', answer: 'settled' });
    expect((await engine.exportReceipts(1)).bill.sig).toBe(bytesToHex(bill.bill.sig));

    // Once pinned, a forged bill is dropped as it arrives.
    await send(telegram({ bill: { ...billGen(meter, 1, otherKey), count: 3 } }));
    expect((await engine.getStatus()).meter.refused).toEqual({ tokens: 2, bills: 4 });
    const logs = (await engine.getLogs(100)).map((l) => l.message).join('\n');
    expect(logs).toMatch(/bill\(s\) from the meter input dropped/);
    expect(logs).not.toContain('M-TRUST');
  });
});
