/**
 * The verdicts every reader of the DSMR corpus must reach, whatever carried the bytes (a file through
 * `p1 decode`, or a real pty through the bridge): valid telegrams decode to their expected values,
 * corrupted ones are refused with the right reason, streams yield the right telegrams.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { LinkReader, telegramResultToJson } from '../../bridge/index.js';
import type { Readings } from '../../protocol/index.js';
import { athombvPairs, DSMR_DIR, dsmrBytes, expectedPairs, expectedRejection, type DecodedJson, type IndexEntry } from './dsmr-testdata.js';

const close = (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 1e-9;
function expectPairs(file: string, pairs: [string, unknown, unknown][]): void {
  for (const [key, actual, expected] of pairs) if (!close(actual, expected)) expect(actual, `${file}: ${key}`).toEqual(expected);
}

const decodeAlone = (file: string): DecodedJson[] => {
  const reader = new LinkReader({ requireCrc: false });
  return [...reader.push(dsmrBytes(file)).results, ...reader.end().results].map((r) => JSON.parse(JSON.stringify(telegramResultToJson(r))) as DecodedJson);
};

export function expectVerdict(entry: IndexEntry, got: DecodedJson[]): void {
  const ok = got.filter((r) => r.ok);
  if (entry.file.includes('/streams/')) {
    const want = entry.expected!;
    if (Array.isArray(want.telegrams_out)) {
      expect(ok.map((r) => r.readings), entry.file).toEqual((want.telegrams_out as string[]).map((name) => decodeAlone(`dsmr/telegrams/${name}`)[0]!.readings));
    } else {
      expect(ok, entry.file).toHaveLength(want.complete_valid_telegrams as number);
      expectPairs(entry.file, expectedPairs(entry, ok[0]!.readings as Readings));
    }
    return;
  }
  expect(got, entry.file).toHaveLength(1);
  const [result] = got as [DecodedJson];
  if (entry.file.includes('/corrupted/')) expect(result.error, entry.file).toBe(expectedRejection(entry));
  else if (entry.crc?.valid === false) expect(result.error, entry.file).toBe('bad-crc');
  else if (entry.crc && 'reason' in entry.crc) expect(result.error, entry.file).toBe('truncated');
  else {
    expect(result.ok, `${entry.file}: ${result.error}`).toBe(true);
    const readings = result.readings as Readings;
    if (entry.file.includes('/athombv/')) {
      expectPairs(entry.file, athombvPairs(JSON.parse(readFileSync(`${DSMR_DIR}/../${String(entry.expected!.expected_json_file)}`, 'utf8')), readings));
    } else expectPairs(entry.file, expectedPairs(entry, readings));
  }
}
