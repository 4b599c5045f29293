/**
 * The P1 probe on real pty pairs (socat) with the real serialport binding: the meter emulator's end speaks P1 at
 * 115200 8N1, a port carrying the corpus's DSMR 2.2 telegrams (no CRC) speaks it at 9600 7E1, a silent port and a
 * port carrying telegrams with a wrong CRC do not, and a missing path reads null. Each port is listened to at each
 * line setting for a bounded time, all at once.
 * A pty is not listed by SerialPort.list(), so the probe is given the paths (listing: ports.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { encodeTelegram } from '../protocol/index.js';
import { dsmrBytes } from '../test/support/dsmr-testdata.js';
import { FAST_PERIOD, startMeterProcess } from '../test/support/meter-process.js';
import { ptyPair } from '../test/support/pty.js';
import { PROBE_LISTEN_MS, probePorts } from './index.js';

describe('P1 probe', () => {
  it('hears the meter on its port and at which line settings, not on a silent one or one with bad CRCs, nor on a missing path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-probe-'));
    const [meterPair, silent, noisy, old] = await Promise.all([ptyPair(join(dir, 'm')), ptyPair(join(dir, 's')), ptyPair(join(dir, 'n')), ptyPair(join(dir, 'o'))]);
    onTestFinished(() => Promise.all([meterPair, silent, noisy, old].map((p) => p.close())).then(() => undefined));
    const meter = await startMeterProcess(meterPair.a, join(dir, 'meter.json'), FAST_PERIOD);
    onTestFinished(() => meter.stop());
    const good = encodeTelegram('XMX5LGBBFG1009', ['1-0:1.8.1(001234.567*kWh)']);
    const bad = Buffer.from(good);
    bad[bad.length - 3] = bad[bad.length - 3] === 0x30 ? 0x31 : 0x30; // one CRC digit changed
    const noise = setInterval(() => writeFileSync(noisy.a, bad), 200);
    onTestFinished(() => clearInterval(noise));
    const dsmr22 = dsmrBytes('dsmr/telegrams/dp_nl-v2.2-iskra-mt382.txt');
    const older = setInterval(() => writeFileSync(old.a, dsmr22), 500); // a DSMR 2.2 meter, faster than its 10 s
    onTestFinished(() => clearInterval(older));
    const heard = await probePorts([meterPair.b, silent.b, noisy.b, old.b, join(dir, 'no-such-port')], PROBE_LISTEN_MS, 3_000);
    expect(heard).toEqual(['dsmr4', null, null, 'dsmr22', null]);
  });
});
