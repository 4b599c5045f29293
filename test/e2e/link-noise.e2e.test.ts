/**
 * Issue 3, noise: meter → pty pair → a relay that flips, drops and inserts bytes in 1 % and 5 % of
 * telegrams → pty pair → bridge. No bad token is accepted (each one is recomputed from the meter's
 * own state), and every token of the period still arrives, through the carousel where needed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openSerialLink } from '../../bridge/index.js';
import { fastestBackend } from '../../curve-backends/index.js';
import { expectPeriodSettles, Household, waitFor } from '../support/link-walk.js';
import { startMeterProcess } from '../support/meter-process.js';
import { noisyRelay } from '../support/noisy-relay.js';
import { ptyPair } from '../support/pty.js';

/** Four telegrams a second, so that a period crosses the relay in enough telegrams to be hit. */
const NOISY_PERIOD = ['--speed', '10800', '--period-hours', '24', '--unit', '0.05', '--interval-ms', '250', '--start', '2026-01-05T00:00:00Z', '--household-seed', '11'];

describe('link through a noisy relay', () => {
  for (const rate of [0.01, 0.05]) {
    it(`at ${rate * 100} % of telegrams hit: zero bad tokens accepted, the whole period arrives`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sipster-noise-'));
      const [meterSide, bridgeSide] = [await ptyPair(dir, ['meter', 'relay-in']), await ptyPair(dir, ['relay-out', 'bridge'])];
      onTestFinished(() => meterSide.close());
      onTestFinished(() => bridgeSide.close());
      const relay = await noisyRelay(meterSide.b, bridgeSide.a, rate, 3);
      onTestFinished(() => relay.close());
      const meter = await startMeterProcess(meterSide.a, join(dir, 'meter.json'), NOISY_PERIOD);
      onTestFinished(() => meter.stop());
      const household = new Household();
      const link = openSerialLink({ port: bridgeSide.b, keys: meter.keys, backend: fastestBackend(), onEvent: household.onEvent });
      onTestFinished(() => link.close());

      const started = performance.now();
      await waitFor(() => household.complete(1) && relay.telegrams >= 60, 120_000, 'period 1 complete through the noise');
      await meter.stop();
      const c = link.counters;
      const faults = relay.faults.flip + relay.faults.drop + relay.faults.insert;
      console.log(JSON.stringify({ rate, seconds: (performance.now() - started) / 1000, relayed: relay.telegrams, faults: relay.faults, ok: c.telegramsOk, dropped: c.dropped, tokensNew: c.tokensNew, tokensRepeated: c.tokensRepeated }));
      if (rate >= 0.05) expect(faults).toBeGreaterThan(0);
      expect(c.dropped['bad-token'] + c.dropped['bad-bill']).toBe(0); // the CRC stops every fault first
      expectPeriodSettles(household, 1, meter.seedFile);
    });
  }
});
