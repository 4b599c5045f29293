import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parsedTelegram } from '../../../test/support/household-readings.js';
import { testUnlock } from '../../../scripts/test-wallet-key.js';
import { createEngine } from '../index.js';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z

describe('the energy history in the engine', () => {
  it('survives an engine restart: readings before and after are one series, nothing negative, every telegram kept', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'sipster-history-')), 'home');
    onTestFinished(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));
    const open = () => createEngine({ dataDir, tickMs: 3_600_000, unlock: testUnlock });
    const feed = async (from: number, to: number) => {
      const engine = await open();
      for (let t = from; t < to; t++) engine.ingest({ kind: 'reading', readings: parsedTelegram(T0 + t, [5_000_000 + t * 2, 3_000_000], 800_000 + Math.floor(t / 300) * 10) });
      await engine.close();
    };
    await feed(0, 1_000);
    await feed(1_000 + 3_600, 1_000 + 3_600 + 500); // off for an hour: the hour's use comes with the first telegram after
    const engine = await open();
    onTestFinished(() => engine.close());
    const hours = await engine.getHistory({ bucket: 'hour' });
    const last = 1_000 + 3_600 + 499;
    expect(Math.round(hours.reduce((a, b) => a + b.importKwh, 0) * 1000)).toBe(last * 2);
    expect(hours.every((b) => b.seriesBreaks === 0 && b.importKwh >= 0 && b.exportKwh === 0)).toBe(true);
    expect(Math.round(hours.reduce((a, b) => a + b.gasM3!, 0) * 1000)).toBe(Math.floor(last / 300) * 10);
    const samples = await engine.getHistorySamples(new Date(T0 * 1000).toISOString(), new Date((T0 + 86_400) * 1000).toISOString());
    expect(samples).toHaveLength(1_500);
    expect(samples[1_000]).toMatchObject({ at: new Date((T0 + 4_600) * 1000).toISOString(), importWh: 8_000_000 + 4_600 * 2, powerW: 1_200, voltageV: [230.1, 229.8, 231] });
    expect(statSync(join(dataDir, 'history.sqlite')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'history.sqlite')).includes(Buffer.from('SQLite format 3'))).toBe(false); // encrypted under the wallet's key
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    await expect(engine.getHistory({ bucket: 'fortnight' } as never)).rejects.toMatchObject({ code: 'bad-request' });
  });
});
