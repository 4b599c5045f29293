/**
 * The link without socat (the demo's fallback): the meter emulator in this process writes an in-process
 * byte stream through its paced writer, and the bridge reads it through the same telegram reader. A whole
 * accelerated period arrives; every token verifies; the bill matches the tokens; the stream's end is the link's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fastestBackend } from '../curve-backends/index.js';
import { startMeter } from '../meter-emulator/index.js';
import { expectPeriodSettles, Household, waitFor } from '../test/support/link-walk.js';
import { meterKeysFromJson, openSerialLink } from './index.js';

describe('link over an in-process byte stream', () => {
  it('carries a full accelerated period through the same reader: every token verified, the bill matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-stream-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const seedFile = join(dir, 'meter.json');
    const stream = new PassThrough();
    const statuses: boolean[] = [];
    const meter = await startMeter({
      port: { stream }, seedFile, speed: 10_800, periodHours: 24, unit: 0.02, startMs: Date.UTC(2026, 0, 5), householdSeed: 7,
    });
    onTestFinished(() => meter.stop());
    const household = new Household();
    const link = openSerialLink({
      port: { stream }, keys: meterKeysFromJson(meter.publicKeys), backend: fastestBackend(), onEvent: household.onEvent,
      onStatus: (s) => statuses.push(s.connected),
    });
    onTestFinished(() => link.close());

    await waitFor(() => household.complete(1), 60_000, 'period 1 with its bill and all its tokens');
    await meter.stop();
    expect(household.bill(1)!.count).toBeGreaterThan(50);
    expect(link.counters.telegramsOk).toBeGreaterThan(5);
    expect(link.counters.dropped['bad-token'] + link.counters.dropped['bad-bill'] + link.counters.dropped['bad-crc']).toBe(0);
    expect(link.counters.reconnects).toBe(0);
    expectPeriodSettles(household, 1, seedFile);

    stream.end();
    await waitFor(() => !link.connected, 5_000, 'the link to see the stream end');
    expect(statuses).toEqual([true, false]);
  });
});
