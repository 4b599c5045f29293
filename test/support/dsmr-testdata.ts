/**
 * Real-world DSMR telegrams from testdata/dsmr (testdata/README.md §1): the index, and the mapping from
 * its expected values (snake_case, decimal strings) onto this project's Readings. Used by the
 * protocol unit tests, the `p1 decode` test and the pty test, so all three check the same facts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MbusDevice, Readings } from '../../protocol/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository's own copy, with its provenance in testdata/README.md. */
export const DSMR_DIR = join(repoRoot, 'testdata/dsmr');

export interface IndexEntry {
  file: string;
  crc?: { present: boolean; valid?: boolean; value?: string } | null;
  source?: { repo: string };
  expected?: Record<string, unknown>;
}

export function dsmrIndex(): IndexEntry[] {
  let text: string;
  try {
    text = readFileSync(join(DSMR_DIR, 'expected.json'), 'utf8');
  } catch (cause) {
    throw new Error(`DSMR test data missing: expected ${DSMR_DIR}/expected.json`, { cause });
  }
  return (JSON.parse(text) as { telegrams: IndexEntry[] }).telegrams;
}

export const dsmrBytes = (file: string): Uint8Array => new Uint8Array(readFileSync(join(DSMR_DIR, '..', file)));

/** The reason a must-reject file is refused, by how it was damaged (README §1 "Corrupted"). */
export function expectedRejection(entry: IndexEntry): 'bad-crc' | 'truncated' {
  return entry.crc?.present ? 'bad-crc' : 'truncated';
}

const ENERGY = /^(import|export)_(t[1-4]|total)_kwh$/;
const MBUS_TYPES: Record<string, number> = { gas: 3, heat: 4, water: 7 };
/** Keys that are another project's internals or prose, not values of the telegram. */
const NOT_VALUES = new Set(['asserted_in', 'source_to_json', 'dsmr_reader_maps', 'application_expectation', 'crc_digits_on_wire', 'crc_value', 'must_reject', 'corruption', 'complete_valid_telegrams', 'first_valid_crc', 'leading_garbage', 'truncated_prefix', 'telegrams_out', 'leftover', 'crcValid', 'expected_json_file']);

/** Every expected value as [path, actual, expected] (numbers compared numerically by the caller). */
export function expectedPairs(entry: IndexEntry, r: Readings): [string, unknown, unknown][] {
  const pairs: [string, unknown, unknown][] = [];
  const dec = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  for (const [key, want] of Object.entries(entry.expected ?? {})) {
    if (NOT_VALUES.has(key)) continue;
    const energy = ENERGY.exec(key);
    if (energy) {
      const regs = energy[1] === 'import' ? r.importKwh : r.exportKwh;
      pairs.push([key, regs[energy[2] as keyof typeof regs], dec(want)]);
    } else if (key in MBUS_TYPES) {
      const list = want as Record<string, unknown>[];
      if (entry.source?.repo.startsWith('dsmrreader/') && key === 'gas') {
        // dsmr-reader stores one gas reading: the first gas meter with a real timestamp and a unit,
        // and does not record its channel.
        const stored = r.mbus.find((d) => d.deviceType === 3 && d.timestamp?.utc && d.unit);
        pairs.push([`${key}.count`, stored ? 1 : 0, list.length]);
        for (const w of list) pairs.push(...mbusPairs(key, stored, { ...w, channel: stored?.channel }));
      } else for (const w of list) pairs.push(...mbusPairs(key, r.mbus.find((d) => d.channel === w.channel), w));
    } else pairs.push([key, ...scalarPair(key, r, want)]);
  }
  return pairs;
}

function mbusPairs(key: string, d: MbusDevice | undefined, w: Record<string, unknown>): [string, unknown, unknown][] {
  const at = `${key}[${String(w.channel)}]`;
  const out: [string, unknown, unknown][] = [[`${at}.present`, d !== undefined, true]];
  if (!d) return out;
  if ('device_type' in w) out.push([`${at}.device_type`, d.deviceType, Number(w.device_type)]);
  if ('equipment_id' in w) out.push([`${at}.equipment_id`, d.equipmentId ?? null, w.equipment_id]);
  if ('valve_position' in w) out.push([`${at}.valve_position`, d.valvePosition, w.valve_position]);
  if ('timestamp_raw' in w) out.push([`${at}.timestamp_raw`, d.timestamp?.raw, w.timestamp_raw]);
  if ('timestamp_utc' in w) out.push([`${at}.timestamp_utc`, d.timestamp?.utc ?? null, w.timestamp_utc]);
  if ('timestamp_utc_as_dsmr_reader' in w) out.push([`${at}.timestamp_utc`, d.timestamp?.utc ?? null, w.timestamp_utc_as_dsmr_reader]);
  if ('value' in w) out.push([`${at}.value`, d.value ?? null, w.value === null ? null : Number(w.value)]);
  if ('unit' in w) out.push([`${at}.unit`, d.unit ?? null, w.unit]);
  return out;
}

function scalarPair(key: string, r: Readings, want: unknown): [unknown, unknown] {
  const n = (v: unknown) => Number(v);
  const phases = (p: Readings['voltageV'], w: Record<string, string>) => [p, Object.fromEntries(Object.entries(w).map(([k, v]) => [k, n(v)]))];
  switch (key) {
    case 'p1_version': return [r.version, want];
    case 'be_version_info': return [r.beVersion, want];
    case 'timestamp_raw': return [r.timestamp?.raw, want];
    case 'timestamp_utc': return [r.timestamp?.utc, want];
    case 'equipment_id': case 'equipment_id_0-0:96.1.0': return [r.equipmentId, want];
    case 'tariff_indicator': return [r.tariff, want];
    case 'power_import_kw': return [r.powerImportKw, n(want)];
    case 'power_export_kw': return [r.powerExportKw, n(want)];
    case 'short_power_failures': return [r.shortPowerFailures, want];
    case 'long_power_failures': return [r.longPowerFailures, want];
    case 'frequency_hz': return [r.frequencyHz, n(want)];
    case 'text_message_code': return [r.textMessageCode, want];
    case 'object_count': return [r.objects, want];
    case 'be_current_average_demand_kw': return [r.averageDemandKw, n(want)];
    case 'voltage_v': return phases(r.voltageV, want as Record<string, string>) as [unknown, unknown];
    case 'current_a': return phases(r.currentA, want as Record<string, string>) as [unknown, unknown];
    case 'be_max_demand_month': {
      const w = want as Record<string, string>;
      return [r.maxDemandMonth, { timestamp: { raw: w.timestamp_raw, utc: w.timestamp_utc }, valueKw: n(w.value_kw) }];
    }
    case 'power_failure_log':
      return [r.powerFailureLog, (want as Record<string, string | number>[]).map((e) => ({ end: { raw: e.end_raw, utc: e.end_utc }, durationS: e.duration_s }))];
    default: return [`unmapped key ${key}`, want];
  }
}

/** athombv/node-dsmr-parser's own expected JSON (Wh and W), reduced to the values this project reads. */
export function athombvPairs(expected: Record<string, any>, r: Readings): [string, unknown, unknown][] {
  const kwh = (wh: unknown) => (wh === undefined ? undefined : Number(wh) / 1000);
  const pairs: [string, unknown, unknown][] = [];
  const el = expected.electricity ?? {};
  for (const [t, v] of Object.entries<Record<string, number>>(el.tariffs ?? {})) {
    pairs.push([`tariff ${t} received`, r.importKwh[`t${t}` as 't1'], kwh(v.received)], [`tariff ${t} returned`, r.exportKwh[`t${t}` as 't1'], kwh(v.returned)]);
  }
  if (el.total) pairs.push(['total received', r.importKwh.total, kwh(el.total.received)], ['total returned', r.exportKwh.total, kwh(el.total.returned)]);
  if ('powerReceivedTotal' in el) pairs.push(['power received', r.powerImportKw, kwh(el.powerReceivedTotal)]);
  if ('powerReturnedTotal' in el) pairs.push(['power returned', r.powerExportKw, kwh(el.powerReturnedTotal)]);
  for (const [name, mine, scale] of [['voltage', r.voltageV, 1], ['current', r.currentA, 1], ['powerReceived', r.powerImportKwPhases, 1000], ['powerReturned', r.powerExportKwPhases, 1000]] as const) {
    for (const [phase, v] of Object.entries<number>(el[name] ?? {})) pairs.push([`${name} ${phase}`, mine[phase as 'l1'], v / scale]);
  }
  if (expected.metadata?.equipmentId) pairs.push(['equipment id', r.equipmentId, expected.metadata.equipmentId]);
  for (const [ch, m] of Object.entries<Record<string, unknown>>(expected.mBus ?? {})) {
    const d = r.mbus.find((x) => x.channel === Number(ch));
    if ('deviceType' in m) pairs.push([`mbus ${ch} type`, d?.deviceType, m.deviceType]);
    if (m.equipmentId) pairs.push([`mbus ${ch} id`, d?.equipmentId, m.equipmentId]);
    if ('value' in m) pairs.push([`mbus ${ch} value`, d?.value, m.value]);
    if ('unit' in m) pairs.push([`mbus ${ch} unit`, d?.unit, m.unit]);
  }
  return pairs;
}

/** One telegram as `p1 decode` prints it (telegramResultToJson, through JSON). */
export interface DecodedJson {
  ok: boolean;
  error?: string;
  crc?: 'valid' | 'absent';
  readings: Readings | null;
}

const SENTINEL_HEADER = 'SENTINEL';
/** A tiny valid telegram between corpus items, so that each item's results can be told apart. */
const SENTINEL = Buffer.from('\r\n/SENTINEL\r\n\r\n0-0:96.1.1(53)\r\n!', 'latin1');
const sentinel = () => {
  let crc = 0;
  for (const b of SENTINEL.subarray(2)) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return Buffer.concat([SENTINEL, Buffer.from(`${crc.toString(16).toUpperCase().padStart(4, '0')}\r\n`)]);
};

/** True for telegrams that carry no CRC by design (DSMR 2.2/3.0): a DSMR 4+ reader refuses them. */
export const isCrcLess = (entry: IndexEntry): boolean =>
  entry.file.includes('v22') || (!entry.crc?.present && !!entry.crc && !('reason' in entry.crc) && !entry.file.includes('/corrupted/'));

/** Every corpus file in `entries`, each followed by CR LF and a sentinel telegram. */
export function corpusStream(entries: IndexEntry[]): Uint8Array {
  return Buffer.concat(entries.flatMap((e) => [dsmrBytes(e.file), sentinel()]));
}

/** Splits decoded telegrams at the sentinels: one group per corpus item. */
export function splitAtSentinels(results: DecodedJson[]): DecodedJson[][] {
  const groups: DecodedJson[][] = [[]];
  for (const r of results) {
    if (r.ok && r.readings?.header === SENTINEL_HEADER) groups.push([]);
    else groups.at(-1)!.push(r);
  }
  return groups.slice(0, -1);
}
