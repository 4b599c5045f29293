/**
 * The encrypted P1 / DLMS vectors of testdata/dsmr/encrypted (README.md there: provenance, layouts): their
 * keys, and the verdict every reader must reach whatever carried the bytes (protocol/dlms alone, `p1 decode`,
 * a real pty through the bridge): the values the source asserts, or the reason a negative vector is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hexToBytes, type DlmsKeys, type Readings } from '../../protocol/index.js';
import { DSMR_DIR, type DecodedJson } from './dsmr-testdata.js';
import { expectPairs } from './dsmr-verdicts.js';

export interface DlmsVector {
  id: string;
  wrapper: 'none' | 'mbus' | 'hdlc' | 'hdlc-gbt';
  frame_hex: string;
  apdu_hex?: string;
  key_hex: string;
  auth_key_hex: string | null;
  aad_hex: string | null;
  tag_verifies: boolean | null;
  plaintext: string | null;
  plaintext_hex?: string | null;
  plaintext_sha256?: string;
  expected_values: Record<string, unknown> | null;
  expect_reject?: boolean;
  derived_from?: string;
}

export function dlmsVectors(): DlmsVector[] {
  const file = join(DSMR_DIR, 'encrypted/vectors.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { vectors: DlmsVector[] }).vectors;
}

export const frameBytes = (v: DlmsVector): Uint8Array => hexToBytes(v.frame_hex);

/** The keys as a household would enter them: GAK when the source gives one; an empty AAD where the tag was made so. */
export function vectorKeys(v: DlmsVector): DlmsKeys {
  const keys: DlmsKeys = { key: hexToBytes(v.key_hex) };
  if (v.auth_key_hex) keys.authKey = hexToBytes(v.auth_key_hex);
  else if (v.aad_hex === '') keys.authKey = null;
  return keys;
}

/** `p1 decode` arguments for a vector's keys. */
export const keyArgs = (v: DlmsVector): string[] =>
  ['--key', v.key_hex, ...(v.auth_key_hex ? ['--auth-key', v.auth_key_hex] : v.aad_hex === '' ? ['--auth-key', 'none'] : [])];

/** Why each negative vector, and each frame whose plaintext fails its own check, is refused. */
const REJECTED: Record<string, string> = {
  'neg-lux-nexxtlab-ciphertext-bit-flip': 'damaged', // the tag fails, the plaintext still starts with '/' but its CRC fails
  'neg-lux-nexxtlab-wrong-key': 'wrong-key',
  'neg-at-netznoe-wrong-key-no-tag': 'wrong-key', // no tag: the plaintext does not start as a data-notification
  'lux-spec-example-athombv-with-aad': 'bad-crc', // decrypts and verifies; its telegram's CRC is wrong (README: 8B52 stated, 6DA1 computed)
  'lux-spec-example-athombv-without-aad': 'bad-crc',
};

const kilo = (v: unknown) => Number(v) / 1000;
const BY_OBIS: Record<string, (r: Readings) => unknown> = {
  '1-0:1.8.0': (r) => r.importKwh.total, '1-0:1.8.1': (r) => r.importKwh.t1, '1-0:1.8.2': (r) => r.importKwh.t2,
  '1-0:2.8.0': (r) => r.exportKwh.total, '1-0:1.7.0': (r) => r.powerImportKw, '1-0:2.7.0': (r) => r.powerExportKw,
  '1-0:32.7.0': (r) => r.voltageV.l1, '1-0:52.7.0': (r) => r.voltageV.l2, '1-0:72.7.0': (r) => r.voltageV.l3,
  '1-0:31.7.0': (r) => r.currentA.l1, '1-0:51.7.0': (r) => r.currentA.l2, '1-0:71.7.0': (r) => r.currentA.l3,
  '0-0:96.1.0': (r) => r.equipmentId,
};
/** Values the sources assert that Readings does not hold (reactive energy, power factor, logical name, …). */
const NOT_IN_READINGS = /^(_basis|crc_stated|crc_computed|equipment_id_hex|equipment_id_ascii|reactive_|power_factor|logical_device|clock_status|datetime_deviation_raw|deviation|meter_id|gas_channel|export_t[12]_|same_plaintext_as|decoded_here)/;
const PLAIN: Record<string, [(r: Readings) => unknown, (v: unknown) => unknown]> = {
  header: [(r) => r.header, (v) => String(v).slice(1)], p1_version: [(r) => r.version, (v) => v],
  timestamp_raw: [(r) => r.timestamp?.raw, (v) => v], timestamp_utc: [(r) => r.timestamp?.utc, (v) => v],
  import_total_kwh: [(r) => r.importKwh.total, Number], export_total_kwh: [(r) => r.exportKwh.total, Number],
  power_import_kw: [(r) => r.powerImportKw, Number], power_export_kw: [(r) => r.powerExportKw, Number],
  import_total_wh: [(r) => r.importKwh.total, kilo], import_t1_wh: [(r) => r.importKwh.t1, kilo], import_t2_wh: [(r) => r.importKwh.t2, kilo],
  export_total_wh: [(r) => r.exportKwh.total, kilo], power_import_w: [(r) => r.powerImportKw, kilo],
  crc_valid: [() => true, (v) => v], // a telegram with a wrong CRC is a REJECTED entry, never read
  datetime_local: [(r) => r.timestamp?.raw.slice(0, 19), (v) => v],
  datetime: [(r) => r.timestamp?.raw.slice(0, 19), (v) => String(v).replace(' ', 'T')],
  'clock_0-0:1.0.0_local': [(r) => r.timestamp?.raw.slice(0, 19), (v) => v],
};

/** Values the source names by position only: the data carries no OBIS code for them. */
const UNNAMED: Record<string, string[]> = { 'at-netznoe-kaifa-ma309-mbus': ['meter_number_0-0:96.1.0'] };

/** Every expected value of a vector as [key, actual, expected]; a key not mapped here fails the test. */
export function dlmsPairs(v: DlmsVector, r: Readings): [string, unknown, unknown][] {
  const pairs: [string, unknown, unknown][] = [];
  for (const [key, want] of Object.entries(v.expected_values ?? {})) {
    if (UNNAMED[v.id]?.includes(key)) continue;
    const obis = /(\d-\d:\d+\.\d+\.\d+)$/.exec(key)?.[1];
    if (obis && BY_OBIS[obis] && !NOT_IN_READINGS.test(key)) {
      const unit = /_(wh|w)_/.test(key) || /^(import|export|power)_.*_1-0/.test(key) && !/_(v|a)_/.test(key) ? kilo : Number;
      pairs.push([key, BY_OBIS[obis](r), obis === '0-0:96.1.0' ? want : unit(want)]);
    } else if (PLAIN[key]) pairs.push([key, PLAIN[key][0](r), PLAIN[key][1](want)]);
    else if (!NOT_IN_READINGS.test(key)) pairs.push([`unmapped key ${key}`, undefined, want]);
  }
  return pairs;
}

/** UTC instants decoded here from the meter's clock (deviation, or the EU rule when the meter leaves it unspecified). */
const UTC: Record<string, string> = {
  'at-netznoe-kaifa-ma309-mbus': '2021-09-27T07:47:15Z', 'at-tinetz-kaifa-mbus': '2021-07-19T13:46:35Z',
  'at-burgenland-lgz-e450-hdlc-amsreader-gh501-1': '2023-03-28T17:11:20Z', 'lgz-e450-hdlc-gbt-dlms-parser-1': '2022-02-21T16:37:30Z',
};

/** The verdict for one vector: exactly one result, refused for the right reason or read with its values. */
export function expectDlmsVerdict(v: DlmsVector, results: DecodedJson[]): void {
  expect(results.map((r) => r.ok ? 'ok' : r.error), v.id).toEqual([REJECTED[v.id] ?? 'ok']);
  const r = results[0]!.readings;
  if (!results[0]!.ok || !r) return;
  expectPairs(v.id, dlmsPairs(v, r), { allowNone: v.id.includes('burgenland') });
  if (UTC[v.id]) expect(r.timestamp?.utc, v.id).toBe(UTC[v.id]);
  if (v.id.includes('burgenland')) expect(r.objects, 'its 14 values, none named by an OBIS code').toBe(14);
}
