/**
 * Issue 3, shown with real parts: a socat pty pair, the meter emulator as its own process writing one
 * end through the real serialport binding, the bridge reading the other. A whole accelerated billing
 * period arrives; every token verifies; the bill matches the tokens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openSerialLink } from '../../bridge/index.js';
import { fastestBackend } from '../../curve-backends/index.js';
import { expectPeriodSettles, Household, waitFor } from '../support/link-walk.js';
import { FAST_PERIOD, startMeterProcess } from '../support/meter-process.js';
import { ptyPair } from '../support/pty.js';

describe('link over a real pty pair', () => {
  it('carries a full accelerated period: every token verified, the bill matches the tokens', async () => {
    const pair = await ptyPair();
    onTestFinished(() => pair.close());
    const seedFile = join(mkdtempSync(join(tmpdir(), 'sipster-meter-')), 'meter.json');
    const meter = await startMeterProcess(pair.a, seedFile, FAST_PERIOD);
    onTestFinished(() => meter.stop());
    const household = new Household();
    const link = openSerialLink({ port: pair.b, keys: meter.keys, backend: fastestBackend(), onEvent: household.onEvent });
    onTestFinished(() => link.close());

    await waitFor(() => household.complete(1), 60_000, 'period 1 with its bill and all its tokens');
    await meter.stop();
    expect(household.bill(1)!.count).toBeGreaterThan(50);
    expect(link.counters.telegramsOk).toBeGreaterThan(5);
    expect(link.counters.dropped['bad-token'] + link.counters.dropped['bad-bill'] + link.counters.dropped['bad-crc']).toBe(0);
    expectPeriodSettles(household, 1, seedFile);
  });
});
