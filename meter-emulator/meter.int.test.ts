/**
 * The meter's state file and restart on real parts: a state file in a tmp dir, a socat pty, the real
 * serialport binding. A restarted meter continues where it was; a damaged state file is refused,
 * never replaced by a fresh counter.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '../test/support/link-walk.js';
import { ptyPair } from '../test/support/pty.js';
import { loadRecord, startMeter } from './index.js';

const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-meter-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe('meter state across restarts', () => {
  it('continues its period, counter and clock after a restart', async () => {
    const dir = tmp();
    const pair = await ptyPair(join(dir, 'pty'));
    onTestFinished(() => pair.close());
    const seedFile = join(dir, 'meter.json');
    const options = { port: pair.a, seedFile, speed: 20_000, periodHours: 24, unit: 0.05, startMs: Date.UTC(2026, 0, 5), householdSeed: 3 };
    const first = await startMeter(options);
    await waitFor(() => first.record.state.period >= 2 && first.record.state.current.count > 0, 30_000, 'the second period');
    await first.stop();
    const saved = loadRecord(seedFile)!;

    const second = await startMeter({ ...options, startMs: Date.UTC(2030, 0, 1), householdSeed: 99 }); // ignored: the file wins
    onTestFinished(() => second.stop());
    expect(second.publicKeys).toEqual(first.publicKeys);
    // It runs on at once, so compare with bounds: the same period, no counter reset, no jump of the clock.
    expect(second.record.state.period).toBe(saved.state.period);
    expect(second.record.state.current.count).toBeGreaterThanOrEqual(saved.state.current.count);
    expect(second.record.clockMs).toBeGreaterThanOrEqual(saved.clockMs);
    expect(second.record.clockMs).toBeLessThan(saved.clockMs + 6 * 3_600_000);
    await waitFor(() => second.record.state.current.count > saved.state.current.count, 30_000, 'a new token after the restart');
    await second.stop();
    const after = loadRecord(seedFile)!;
    expect(after.state.current.count).toBeGreaterThan(saved.state.current.count);
    expect(after.state.current.seed).toEqual(saved.state.current.seed);
  });

  it('writes an in-process stream like a P1 line: with nobody reading, bytes are lost and the meter never waits', async () => {
    const stream = new PassThrough();
    const meter = await startMeter({ port: { stream }, seedFile: join(tmp(), 'meter.json'), speed: 20_000, periodHours: 24, startMs: Date.UTC(2026, 0, 5) });
    onTestFinished(() => meter.stop());
    await waitFor(() => stream.writableNeedDrain, 30_000, 'the unread stream to fill');
    const { clockMs } = meter.record;
    await waitFor(() => meter.record.clockMs > clockMs + 3_600_000, 30_000, 'the meter to run on');
    expect(stream.writableLength).toBeLessThanOrEqual(stream.writableHighWaterMark + 256); // at most one slice past full
    await meter.stop(); // returns: no write is left waiting for a reader
    expect(stream.destroyed).toBe(false);
  });

  it('refuses a damaged state file instead of starting a fresh counter', async () => {
    const seedFile = join(tmp(), 'meter.json');
    writeFileSync(seedFile, '{"format":"sipster-meter-state-v1","id":');
    await expect(startMeter({ port: '/nonexistent', seedFile })).rejects.toMatchObject({ name: 'MeterError', code: 'bad-state-file' });
  });
});
