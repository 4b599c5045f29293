/**
 * An encrypted meter through the real engine: chosen with its keys on a real pty (socat), its DLMS push
 * frames written at the meter's line settings (Netz NÖ Kaifa, M-Bus 2400 8E1) become readings on the
 * meter's clock; the keys stay out of the meter view and the log, in a data folder only this user can open,
 * and the choice is remembered.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dlmsVectors, frameBytes } from '../../test/support/dlms-vectors.js';
import { ptyPair } from '../../test/support/pty.js';
import { createEngine } from './index.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';

describe('an encrypted meter', () => {
  it('is read through the engine once chosen with its keys, and its keys are never shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-dlms-engine-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const noe = dlmsVectors().find((v) => v.id === 'at-netznoe-kaifa-ma309-mbus')!;
    const open = () => createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), tickMs: 3_600_000 });
    const engine = await open();
    await expect(engine.chooseMeter({ kind: 'port', path: pair.b, dlms: { framing: 'mbus', key: 'zz' } })).rejects.toMatchObject({ code: 'bad-request' });
    const view = await engine.chooseMeter({ kind: 'port', path: pair.b, dlms: { framing: 'mbus', key: noe.key_hex } });
    expect(view.source).toEqual({ kind: 'port', path: pair.b, line: 'dsmr4', framing: 'mbus' });

    const writer = new SerialPort({ path: pair.a, baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1, autoOpen: false });
    await new Promise<void>((resolve, reject) => writer.open((e) => (e ? reject(e) : resolve())));
    onTestFinished(() => new Promise<void>((resolve) => (writer.isOpen ? writer.close(() => resolve()) : resolve())));
    await new Promise((r) => setTimeout(r, 300)); // the engine's link opens its port (no view says when)
    writer.write(Buffer.from(frameBytes(noe)));
    let readings = await engine.getReadings(null);
    for (let i = 0; i < 100 && readings.length === 0; i++) { // at most 10 s
      await new Promise((r) => setTimeout(r, 100));
      readings = await engine.getReadings(null);
    }
    expect(readings).toEqual([{ at: '2021-09-27T07:47:15Z', powerW: 0, energyWh: 12937, tariff: null }]);
    const shown = JSON.stringify([await engine.getStatus(), await engine.getLogs(100)]);
    expect(shown).not.toContain(noe.key_hex);
    expect(statSync(join(dir, 'home')).mode & 0o777, 'the folder that keeps the keys is this user\'s alone').toBe(0o700);
    await engine.close();

    const again = await open();
    onTestFinished(() => again.close());
    expect((await again.getStatus()).meter.source).toEqual({ kind: 'port', path: pair.b, line: 'dsmr4', framing: 'mbus' });
  });

  // The other framings at 115200 8N1: Luxembourg's Smarty (a raw frame holding a DSMR telegram, tag checked with the
  // published key) and the Landis+Gyr E450 (HDLC frames carrying General Block Transfer blocks, tag checked with its GAK).
  it.each([
    { id: 'lux-smarty-nexxtlab-real-1', framing: 'raw' as const, reading: { at: '2018-01-30T09:21:22Z', powerW: 0, energyWh: 6_695 } },
    { id: 'lgz-e450-hdlc-gbt-dlms-parser-1', framing: 'hdlc' as const, reading: { at: expect.stringMatching(/^2022-02-21T/), powerW: 2_893, energyWh: 4_408_736 } },
  ])('reads $id ($framing) through the engine', async ({ id, framing, reading }) => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-dlms-engine-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const v = dlmsVectors().find((x) => x.id === id)!;
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), tickMs: 3_600_000 });
    onTestFinished(() => engine.close());
    await engine.chooseMeter({ kind: 'port', path: pair.b, dlms: { framing, key: v.key_hex, ...(v.auth_key_hex ? { authKey: v.auth_key_hex } : {}) } });
    const writer = new SerialPort({ path: pair.a, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => writer.open((e) => (e ? reject(e) : resolve())));
    onTestFinished(() => new Promise<void>((resolve) => (writer.isOpen ? writer.close(() => resolve()) : resolve())));
    await new Promise((r) => setTimeout(r, 300)); // the engine's link opens its port (no view says when)
    writer.write(Buffer.from(frameBytes(v)));
    let readings = await engine.getReadings(null);
    for (let i = 0; i < 100 && readings.length === 0; i++) { // at most 10 s
      await new Promise((r) => setTimeout(r, 100));
      readings = await engine.getReadings(null);
    }
    expect(readings).toEqual([expect.objectContaining(reading)]);
    expect(JSON.stringify([await engine.getStatus(), await engine.getLogs(100)])).not.toContain(v.key_hex);
  });
});
