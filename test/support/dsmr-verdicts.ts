/**
 * The verdicts every reader of the DSMR corpus must reach, whatever carried the bytes (protocol/ alone,
 * a file through `p1 decode`, or a real pty through the bridge): valid telegrams decode to their
 * expected values with the right CRC status, corrupted ones are refused with the right reason, streams
 * yield the right telegrams.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { decodeTelegram, TelegramError, TelegramFramer, type Readings } from '../../protocol/index.js';
import { athombvPairs, DSMR_DIR, dsmrBytes, expectedPairs, expectedRejection, type DecodedJson, type IndexEntry } from './dsmr-testdata.js';

const close = (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 1e-9;

/** Numbers equal to 1e-9, everything else deep-equal; an empty list of pairs is a test bug. */
export function expectPairs(file: string, pairs: [string, unknown, unknown][], { allowNone = false } = {}): void {
  if (!allowNone) expect(pairs.length, `${file}: nothing to compare`).toBeGreaterThan(0);
  for (const [key, actual, expected] of pairs) if (!close(actual, expected)) expect(actual, `${file}: ${key}`).toEqual(expected);
}

/** protocol/ alone: framer then decoder, no CRC required (a file may hold any meter). */
export function decodeBytes(bytes: Uint8Array): DecodedJson[] {
  const framer = new TelegramFramer();
  return [...framer.push(bytes), ...framer.end()].flatMap((e): DecodedJson[] => {
    if (e.kind === 'garbage') return [];
    if (e.kind === 'dropped') return [{ ok: false, error: e.code, readings: null }];
    try {
      const t = decodeTelegram(e.bytes);
      return [{ ok: true, crc: t.crc, readings: t.readings }];
    } catch (err) {
      if (!(err instanceof TelegramError)) throw err;
      return [{ ok: false, error: err.code, readings: null }];
    }
  });
}

export function expectVerdict(entry: IndexEntry, got: DecodedJson[]): void {
  const ok = got.filter((r) => r.ok);
  if (entry.file.includes('/streams/')) {
    const want = entry.expected!;
    if (Array.isArray(want.telegrams_out)) {
      expect(ok.map((r) => r.readings), entry.file).toEqual((want.telegrams_out as string[]).map((name) => decodeBytes(dsmrBytes(`dsmr/telegrams/${name}`))[0]!.readings));
    } else {
      expect(ok, entry.file).toHaveLength(want.complete_valid_telegrams as number);
      expectPairs(entry.file, expectedPairs(entry, ok[0]!.readings as Readings), { allowNone: true });
    }
    return;
  }
  expect(got, entry.file).toHaveLength(1);
  const [result] = got as [DecodedJson];
  if (entry.file.includes('/corrupted/')) expect(result.error, entry.file).toBe(expectedRejection(entry));
  else if (entry.crc?.valid === false) expect(result.error, entry.file).toBe('bad-crc');
  else if (entry.crc && 'reason' in entry.crc) expect(result.error, entry.file).toBe('truncated'); // no '!' line: refused, not guessed
  else {
    expect(result.ok, `${entry.file}: ${result.error}`).toBe(true);
    expect(result.crc, entry.file).toBe(entry.crc?.present ? 'valid' : 'absent');
    const readings = result.readings as Readings;
    if (entry.file.includes('/athombv/')) {
      expectPairs(entry.file, athombvPairs(JSON.parse(readFileSync(`${DSMR_DIR}/../${String(entry.expected!.expected_json_file)}`, 'utf8')), readings));
    } else if (Object.keys(entry.expected ?? {}).length > 0) expectPairs(entry.file, expectedPairs(entry, readings));
  }
}
