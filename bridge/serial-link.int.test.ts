/**
 * The bridge on a real pty pair (socat) with the real serialport binding: the real-world DSMR corpus
 * written to one end arrives at the other with the same verdicts `p1 decode` gives; DSMR 2.2/3.0
 * telegrams (no CRC) are read on a 'dsmr22' line and refused on a DSMR 4+ one.
 */
import { renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { describe, expect, it, onTestFinished } from 'vitest';
import { corpusStream, dsmrIndex, isCrcLess, splitAtSentinels, type DecodedJson, type IndexEntry } from '../test/support/dsmr-testdata.js';
import { expectVerdict } from '../test/support/dsmr-verdicts.js';
import { waitFor } from '../test/support/link-walk.js';
import { ptyPair } from '../test/support/pty.js';
import { encodeTelegram } from '../protocol/index.js';
import { openSerialLink, telegramResultToJson, type LineSettings } from './index.js';

async function openWriter(path: string): Promise<SerialPort> {
  const writer = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => writer.open((e) => (e ? reject(e) : resolve())));
  onTestFinished(() => new Promise<void>((resolve) => (writer.isOpen ? writer.close(() => resolve()) : resolve())));
  return writer;
}

async function throughPty(entries: IndexEntry[], line: LineSettings): Promise<DecodedJson[][]> {
  const pair = await ptyPair();
  onTestFinished(() => pair.close());
  const results: DecodedJson[] = [];
  const link = openSerialLink({ port: pair.b, line, onTelegram: (r) => results.push(JSON.parse(JSON.stringify(telegramResultToJson(r)))) });
  onTestFinished(() => link.close());
  await waitFor(() => link.connected, 5_000, 'the bridge to open its port');
  const writer = await openWriter(pair.a);
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

describe('bridge device watch', () => {
  it('follows its path to a new device even when the old one neither errors nor closes', async () => {
    const [old, next] = [await ptyPair(), await ptyPair()];
    onTestFinished(() => old.close());
    onTestFinished(() => next.close());
    const dir = join(old.a, '..');
    const path = join(dir, 'meter-cable');
    symlinkSync(old.b, path);
    const headers: string[] = [];
    const link = openSerialLink({ port: path, onTelegram: (r) => r.ok && headers.push(r.readings.header), backoff: { initial: 50, max: 200 } });
    onTestFinished(() => link.close());
    await waitFor(() => link.connected, 5_000, 'the bridge to open the old device');
    const telegram = (name: string) => Buffer.from(encodeTelegram(name, ['1-3:0.2.8(50)']));
    (await openWriter(old.a)).write(telegram('OLD5 device'));
    await waitFor(() => headers.includes('OLD5 device'), 5_000, 'a telegram from the old device');

    symlinkSync(next.b, `${path}.new`);
    renameSync(`${path}.new`, path); // the path now names another pty; the old one stays open and silent
    const writer = await openWriter(next.a);
    await waitFor(() => link.counters.reconnects >= 1 && link.connected, 5_000, 'the bridge to reopen its path');
    writer.write(telegram('NEW5 device'));
    await waitFor(() => headers.includes('NEW5 device'), 5_000, 'a telegram from the new device');
    expect(headers).toEqual(['OLD5 device', 'NEW5 device']);
  });
});
