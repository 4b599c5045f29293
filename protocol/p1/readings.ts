/**
 * DSMR readings (DSMR 2.2 to 5.0.2, Belgian e-MUCS, and the Luxembourg, Austrian, Hungarian and
 * Swedish variants): COSEM objects → one plain-JSON value for the consumption display. Objects
 * are matched by OBIS code, never by position; unknown codes are counted and ignored.
 * @module
 */
import { parseQuantity, type CosemObject } from './cosem.js';
import { TelegramError } from './errors.js';
import { decodeP1Time, type P1Time } from './p1-time.js';

export type { P1Time } from './p1-time.js';
/** Energy registers: `total` is OBIS x.8.0, `t1`…`t4` are tariffs x.8.1 … x.8.4. */
export interface Registers { total?: number; t1?: number; t2?: number; t3?: number; t4?: number }
export interface PerPhase { l1?: number; l2?: number; l3?: number }
/** A device on M-Bus channel n (gas = type 3, heat = 4, water = 7). */
export interface MbusDevice {
  channel: number;
  deviceType?: number;
  equipmentId?: string | null;
  valvePosition?: number;
  timestamp?: P1Time;
  value?: number | null;
  unit?: string | null;
}
export interface PowerFailure { end: P1Time | null; durationS: number }

export interface Readings {
  /** The identification line after '/', byte for byte (latin1: some meters send non-ASCII bytes). */
  header: string;
  /** P1 version, 1-3:0.2.8 (e.g. '50'). */
  version?: string;
  /** Belgian version information, 0-0:96.1.4. */
  beVersion?: string;
  timestamp?: P1Time;
  equipmentId?: string;
  /** Energy delivered to the household (1-0:1.8.x), kWh. */
  importKwh: Registers;
  /** Energy returned by the household (1-0:2.8.x), kWh. */
  exportKwh: Registers;
  /** Tariff indicator 0-0:96.14.0 as written (NL: 1 = low, 2 = normal; BE: 1 = day, 2 = night). */
  tariff?: string;
  powerImportKw?: number;
  powerExportKw?: number;
  voltageV: PerPhase;
  currentA: PerPhase;
  powerImportKwPhases: PerPhase;
  powerExportKwPhases: PerPhase;
  shortPowerFailures?: number;
  longPowerFailures?: number;
  powerFailureLog: PowerFailure[];
  /** Belgian current average demand 1-0:1.4.0 and this month's peak 1-0:1.6.0. */
  averageDemandKw?: number;
  maxDemandMonth?: { timestamp: P1Time | null; valueKw: number };
  frequencyHz?: number;
  textMessage?: string;
  textMessageCode?: string;
  mbus: MbusDevice[];
  /** How many COSEM objects the telegram held (known or not). */
  objects: number;
}

const TARIFF_KEYS = ['total', 't1', 't2', 't3', 't4'] as const;
const ELECTRIC = /^1-0:(\d{1,2})\.(\d{1,2})\.(\d)$/;
const MBUS = /^0-([1-9]):(24\.1\.0|96\.1\.[01]|24\.2\.[13]|24\.3\.0|24\.4\.0)$/;

function num(object: CosemObject, at = 0): number {
  const value = object.values[at];
  if (value === undefined) throw new TelegramError('bad-line', `${object.obis}: value missing`);
  return parseQuantity(value, object.obis).value;
}

function int(object: CosemObject, at = 0): number {
  const value = object.values[at] ?? '';
  if (!/^\d+$/.test(value)) throw new TelegramError('bad-line', `${object.obis}: not an integer`);
  return Number(value);
}

function device(readings: Readings, channel: number): MbusDevice {
  let found = readings.mbus.find((d) => d.channel === channel);
  if (!found) {
    found = { channel };
    readings.mbus.push(found);
    readings.mbus.sort((a, b) => a.channel - b.channel);
  }
  return found;
}

/** A reading `(TST)(value*unit)`; an empty or zero value with no unit is an empty channel. */
function mbusReading(d: MbusDevice, object: CosemObject, timeAt: number, valueAt: number): void {
  const time = decodeP1Time(object.values[timeAt] ?? '');
  if (time) d.timestamp = time;
  const raw = object.values[valueAt] ?? '';
  if (raw === '') {
    d.value = null;
    return;
  }
  const q = parseQuantity(raw, object.obis);
  d.value = q.value;
  d.unit = q.unit ?? (object.obis.endsWith('24.3.0') ? object.values[5] ?? null : null);
}

type PhaseTarget = 'powerImportKwPhases' | 'powerExportKwPhases' | 'currentA' | 'voltageV';
/** 1-0:C.7.0 per phase: C = 21/41/61 import, 22/42/62 export, 31/51/71 current, 32/52/72 voltage. */
const PHASE_OBJECTS = new Map<number, [PhaseTarget, keyof PerPhase]>(
  ([[1, 'powerImportKwPhases'], [2, 'powerExportKwPhases'], [11, 'currentA'], [12, 'voltageV']] as const).flatMap(
    ([offset, target]) => (['l1', 'l2', 'l3'] as const).map((phase, k) => [20 * (k + 1) + offset, [target, phase]] as [number, [PhaseTarget, keyof PerPhase]]),
  ),
);

function electric(readings: Readings, object: CosemObject, c: number, d: number, e: number): void {
  const phase = PHASE_OBJECTS.get(c);
  if (d === 8 && (c === 1 || c === 2) && e <= 4) {
    (c === 1 ? readings.importKwh : readings.exportKwh)[TARIFF_KEYS[e]!] = num(object);
  } else if (d === 7 && e === 0 && (c === 1 || c === 2)) {
    readings[c === 1 ? 'powerImportKw' : 'powerExportKw'] = num(object);
  } else if (d === 7 && e === 0 && c === 14) {
    readings.frequencyHz = num(object);
  } else if (d === 7 && e === 0 && phase) {
    readings[phase[0]][phase[1]] = num(object);
  } else if (c === 1 && d === 4 && e === 0) {
    readings.averageDemandKw = num(object);
  } else if (c === 1 && d === 6 && e === 0) {
    readings.maxDemandMonth = { timestamp: decodeP1Time(object.values[0] ?? ''), valueKw: num(object, 1) };
  } else if (c === 99 && d === 97 && e === 0) {
    readings.powerFailureLog = failureLog(object);
  }
}

/** 1-0:99.97.0(n)(0-0:96.7.19)(end)(duration*s)…: durations may exceed 2^31 s. */
function failureLog(object: CosemObject): PowerFailure[] {
  if (object.values[0] === '') return []; // some meters write an empty log as `()`
  const count = int(object);
  const log: PowerFailure[] = [];
  for (let k = 0; k < count; k++) {
    const at = 2 + 2 * k;
    if (object.values[at + 1] === undefined) throw new TelegramError('bad-line', `${object.obis}: entry missing`);
    log.push({ end: decodeP1Time(object.values[at]!), durationS: num(object, at + 1) });
  }
  return log;
}

function mbus(readings: Readings, object: CosemObject, channel: number, code: string): void {
  const d = device(readings, channel);
  if (code === '24.1.0') d.deviceType = int(object);
  else if (code.startsWith('96.1.')) d.equipmentId = object.values[0] || null;
  else if (code === '24.4.0') d.valvePosition = int(object);
  else if (code === '24.3.0') mbusReading(d, object, 0, 6);
  else mbusReading(d, object, 0, 1);
}

/** Extracts the readings; throws TelegramError('bad-line') when a known object's value does not parse. */
export function readingsFrom(header: string, objects: readonly CosemObject[]): Readings {
  const readings: Readings = {
    header, importKwh: {}, exportKwh: {}, voltageV: {}, currentA: {},
    powerImportKwPhases: {}, powerExportKwPhases: {}, powerFailureLog: [], mbus: [], objects: objects.length,
  };
  for (const object of objects) {
    const first = object.values[0] ?? '';
    const e = ELECTRIC.exec(object.obis);
    const m = MBUS.exec(object.obis);
    if (e) electric(readings, object, Number(e[1]), Number(e[2]), Number(e[3]));
    else if (m) mbus(readings, object, Number(m[1]), m[2]!);
    else if (object.obis === '1-3:0.2.8') readings.version = first;
    else if (object.obis === '0-0:96.1.4') readings.beVersion = first;
    else if (object.obis === '0-0:1.0.0') readings.timestamp = decodeP1Time(first) ?? { raw: first, utc: null };
    else if (object.obis === '0-0:96.1.1' || (object.obis === '0-0:96.1.0' && readings.equipmentId === undefined)) readings.equipmentId = first;
    else if (object.obis === '0-0:96.14.0') readings.tariff = first;
    else if (object.obis === '0-0:96.7.21') readings.shortPowerFailures = int(object);
    else if (object.obis === '0-0:96.7.9') readings.longPowerFailures = int(object);
    else if (object.obis === '0-0:96.13.0') readings.textMessage = first;
    else if (object.obis === '0-0:96.13.1') readings.textMessageCode = first;
  }
  return readings;
}
