import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { decodeTelegram, encodeP1Time, encodeTelegram, type Readings } from '../../../protocol/index.js';
import { testUnlock } from '../../../scripts/test-wallet-key.js';
import { createEngine } from '../index.js';

/** A real Fluvius (Belgian) telegram from the corpus: its meter sends 1-0:1.4.0 and 1-0:1.6.0. */
const FLUVIUS = readFileSync(new URL('../../../testdata/dsmr/telegrams/dp_be-fluvius-v1.7.1.txt', import.meta.url));
const [HEAD, BODY] = FLUVIUS.toString('latin1').split('\r\n\r\n') as [string, string];
const LINES = BODY.slice(0, BODY.lastIndexOf('!')).split('\r\n').filter((l) => l !== '');

/**
 * The same meter's telegram at `t` (s) with its import register at `wh` and power `w`, re-encoded with its CRC and read
 * back by the P1 parser; `demand` false leaves out 1-0:1.4.0 and 1-0:1.6.0 (and the 13-month history of peaks), as a
 * meter that does not send them.
 */
function fluviusAt(t: number, wh: number, w: number, demand: boolean): Readings {
  const kwh = (x: number) => (x / 1000).toFixed(3).padStart(10, '0');
  const lines = LINES.flatMap((l) => {
    if (l.startsWith('0-0:1.0.0(')) return [`0-0:1.0.0(${encodeP1Time(t * 1000)})`];
    if (l.startsWith('1-0:1.8.1(')) return [`1-0:1.8.1(${kwh(wh)}*kWh)`];
    if (l.startsWith('1-0:1.7.0(')) return [`1-0:1.7.0(${(w / 1000).toFixed(3).padStart(6, '0')}*kW)`];
    if (!demand && /^(1-0:1\.[46]\.0|0-0:98\.1\.0)\(/.test(l)) return [];
    return [l];
  });
  return decodeTelegram(encodeTelegram(HEAD.slice(1), lines), { requireCrc: true }).readings;
}

async function engine() {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'sipster-capacity-')), 'home');
  onTestFinished(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));
  const e = await createEngine({ dataDir, tickMs: 3_600_000, unlock: testUnlock });
  onTestFinished(() => e.close());
  return e;
}

describe('capacity peak through the engine, from real Belgian telegrams', () => {
  it("shows the meter's own month peak (1-0:1.6.0) and running quarter average (1-0:1.4.0)", async () => {
    const e = await engine();
    e.ingest({ kind: 'reading', readings: decodeTelegram(FLUVIUS, { requireCrc: true }).readings });
    expect(await e.getCapacity()).toEqual({
      monthPeak: { kw: 2.589, at: '2020-05-09T11:45:58.000Z', source: 'meter' }, // 200509134558S: summer time, UTC+2
      quarter: { start: '2020-05-12T11:45:00.000Z', averageKw: 2.351, projectedKw: expect.any(Number), source: 'meter' },
      headingAbovePeak: false,
    });
  });

  it('computes the peak from the import register when the meter sends no demand, and warns as the quarter heads above it', async () => {
    const e = await engine();
    const t0 = Date.UTC(2020, 4, 12, 10, 0) / 1000;
    let wh = 15_000;
    const register = new Map<number, number>();
    for (let t = t0; t <= t0 + 3_600 + 420; t += 5) {
      const w = t <= t0 + 1_800 ? 1_200 : t <= t0 + 2_700 ? 4_000 : t <= t0 + 3_600 ? 800 : 6_000;
      wh += (w * 5) / 3600;
      register.set(t, Math.round(wh));
      e.ingest({ kind: 'reading', readings: fluviusAt(t, register.get(t)!, w, false) });
    }
    const c = await e.getCapacity();
    // 10:30–10:45 at 4 kW: its telegrams (10:30:00 to 10:44:55) carry the register from 10:29:55 to 10:44:55.
    const peakWh = register.get(t0 + 2_695)! - register.get(t0 + 1_795)!;
    expect(c.monthPeak).toEqual({ kw: (peakWh * 4) / 1000, at: '2020-05-12T10:30:00.000Z', source: 'registers' });
    expect(c.quarter).toMatchObject({ start: '2020-05-12T11:00:00.000Z', source: 'registers' });
    expect(c.quarter!.projectedKw).toBeGreaterThan(c.monthPeak!.kw);
    expect(c.headingAbovePeak).toBe(true);
  });
});
