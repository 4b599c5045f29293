/**
 * Issue 3, unplug: mid-period the pty pair disappears (socat killed: both ends vanish, as when the USB
 * cable is pulled) and a new one appears under the same names. The meter and the bridge both reopen;
 * nothing the carousel still covers is lost.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openSerialLink } from '../../bridge/index.js';
import { fastestBackend } from '../../curve-backends/index.js';
import { expectPeriodSettles, Household, waitFor } from '../support/link-walk.js';
import { FAST_PERIOD, startMeterProcess } from '../support/meter-process.js';
import { ptyPair } from '../support/pty.js';

describe('link across unplug and replug', () => {
  it('reconnects and loses nothing the carousel covers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-unplug-'));
    const pair = await ptyPair(dir, ['meter', 'bridge']);
    onTestFinished(() => pair.close());
    const meter = await startMeterProcess(pair.a, join(dir, 'meter.json'), FAST_PERIOD);
    onTestFinished(() => meter.stop());
    const household = new Household();
    const statuses: boolean[] = [];
    const link = openSerialLink({
      port: pair.b, keys: meter.keys, backend: fastestBackend(), onEvent: household.onEvent,
      onStatus: (s) => statuses.push(s.connected), backoff: { initial: 100, max: 1_000 },
    });
    onTestFinished(() => link.close());

    await waitFor(() => household.tokens.length >= 20, 30_000, 'the first tokens');
    await pair.unplug();
    await waitFor(() => !link.connected, 5_000, 'the bridge to notice the unplug');
    const before = household.tokens.length;
    await sleep(2_000); // the meter keeps issuing tokens nobody hears
    await pair.plug();
    await waitFor(() => household.complete(1), 60_000, 'period 1 complete after the replug');
    await meter.stop();

    expect(link.counters.reconnects).toBeGreaterThanOrEqual(1);
    expect(statuses).toContain(false);
    expect(household.tokens.length).toBeGreaterThan(before);
    expectPeriodSettles(household, 1, meter.seedFile);
  });
});
