/**
 * The P1 probe on real pty pairs (socat) with the real serialport binding: the meter emulator's end speaks P1, a
 * silent port and a port carrying telegrams with a wrong CRC do not, and a missing path reads false. Each port is
 * listened to for at most PROBE_LISTEN_MS, all at once.
 * A pty is not listed by SerialPort.list(), so the probe is given the paths (listing: ports.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { encodeTelegram } from '../protocol/index.js';
import { FAST_PERIOD, startMeterProcess } from '../test/support/meter-process.js';
import { ptyPair } from '../test/support/pty.js';
import { probePorts } from './index.js';

describe('P1 probe', () => {
  it('hears the meter on its port, not on a silent one or one with bad CRCs, nor on a missing path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-probe-'));
    const [meterPair, silent, noisy] = await Promise.all([ptyPair(join(dir, 'm')), ptyPair(join(dir, 's')), ptyPair(join(dir, 'n'))]);
    onTestFinished(() => Promise.all([meterPair, silent, noisy].map((p) => p.close())).then(() => undefined));
    const meter = await startMeterProcess(meterPair.a, join(dir, 'meter.json'), FAST_PERIOD);
    onTestFinished(() => meter.stop());
    const good = encodeTelegram('XMX5LGBBFG1009', ['1-0:1.8.1(001234.567*kWh)']);
    const bad = Buffer.from(good);
    bad[bad.length - 3] = bad[bad.length - 3] === 0x30 ? 0x31 : 0x30; // one CRC digit changed
    const noise = setInterval(() => writeFileSync(noisy.a, bad), 200);
    onTestFinished(() => clearInterval(noise));
    const heard = await probePorts([meterPair.b, silent.b, noisy.b, join(dir, 'no-such-port')]);
    expect(heard).toEqual([true, false, false, false]);
  });
});
