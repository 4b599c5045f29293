/**
 * The bridge on a real pty pair (socat) with the real serialport binding: the real-world DSMR corpus
 * written to one end arrives at the other with the same verdicts `p1 decode` gives; DSMR 2.2/3.0
 * telegrams (no CRC) are read on a 'dsmr22' line and refused on a DSMR 4+ one.
 */
import { SerialPort } from 'serialport';
import { describe, expect, it, onTestFinished } from 'vitest';
import { corpusStream, dsmrIndex, isCrcLess, splitAtSentinels, type DecodedJson, type IndexEntry } from '../test/support/dsmr-testdata.js';
import { expectVerdict } from '../test/support/dsmr-verdicts.js';
import { waitFor } from '../test/support/link-walk.js';
import { ptyPair } from '../test/support/pty.js';
import { openSerialLink, telegramResultToJson, type LineSettings } from './index.js';

async function throughPty(entries: IndexEntry[], line: LineSettings): Promise<DecodedJson[][]> {
  const pair = await ptyPair();
  onTestFinished(() => pair.close());
  const results: DecodedJson[] = [];
  const link = openSerialLink({ port: pair.b, line, onTelegram: (r) => results.push(JSON.parse(JSON.stringify(telegramResultToJson(r)))) });
  onTestFinished(() => link.close());
  await waitFor(() => link.connected, 5_000, 'the bridge to open its port');
  const writer = new SerialPort({ path: pair.a, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => writer.open((e) => (e ? reject(e) : resolve())));
  onTestFinished(() => new Promise<void>((resolve) => writer.close(() => resolve())));
  await new Promise<void>((resolve) => writer.write(Buffer.from(corpusStream(entries)), () => writer.drain(() => resolve())));
  await waitFor(() => splitAtSentinels(results).length === entries.length, 20_000, 'every corpus item');
  return splitAtSentinels(results);
}

describe('bridge on a real pty', () => {
  it('gives every DSMR 4+ telegram and stream of the corpus its verdict (115200 8N1, CRC required)', async () => {
    const entries = dsmrIndex().filter((e) => !isCrcLess(e));
    const groups = await throughPty(entries, 'dsmr4');
    entries.forEach((entry, k) => expectVerdict(entry, groups[k]!));
  });

  it('reads DSMR 2.2/3.0 telegrams without a CRC on a dsmr22 line, and refuses them on a dsmr4 one', async () => {
    const entries = dsmrIndex().filter(isCrcLess);
    expect(entries.length).toBe(7);
    const groups = await throughPty(entries, 'dsmr22');
    entries.forEach((entry, k) => expectVerdict(entry, groups[k]!));
    const strict = await throughPty(entries.filter((e) => !e.file.includes('/streams/')), 'dsmr4');
    for (const group of strict) expect(group.map((r) => r.error)).toEqual(['missing-crc']);
  });
});
