/**
 * The DLMS data-notification a push meter sends (Green Book §9.5, xDLMS `data-notification` [15]):
 *
 *   0F | long-invoke-id-and-priority (4) | date-time (`0C` + 12 bytes, or `00` absent) | notification-body (one Data)
 *
 * decoded into the same Readings as a DSMR telegram. The body lists OBIS codes (6-byte octet-strings),
 * each followed by its value and, where the meter sends it, a scaler-unit structure `{integer, enum}`;
 * the list may be flat (Netz NÖ Kaifa, Landis+Gyr E450) or one structure per object (TINETZ Kaifa).
 * Each named value becomes the COSEM object a DSMR meter would write (`1-0:1.8.0(12.937*kWh)`), so the
 * readings are read by OBIS code exactly as for a telegram. A value without a scaler-unit is taken in
 * the base unit of its quantity (Wh, W, var, varh, V, A, Hz). Values without an OBIS code are counted
 * in `objects`, not named.
 * @module
 */
import { decodeP1Time, type P1Time } from '../p1/p1-time.js';
import { readingsFrom, type Readings } from '../p1/readings.js';
import { readData, TAG, type AxdrData } from './axdr.js';
import { DlmsError } from './errors.js';

export const DATA_NOTIFICATION = 0x0f;

/** DLMS unit enumeration (Blue Book §4.3.2) → the unit a DSMR telegram writes. */
const UNITS: Record<number, string> = { 7: 's', 13: 'm3', 27: 'W', 28: 'VA', 29: 'var', 30: 'Wh', 31: 'VAh', 32: 'varh', 33: 'A', 35: 'V', 44: 'Hz' };

interface Named { obis: string; value: AxdrData; scaler?: number; unit?: number }

const isObis = (d: AxdrData | undefined): d is { kind: 'bytes'; tag: number; value: Uint8Array } =>
  d?.kind === 'bytes' && d.tag === TAG.octetString && d.value.length === 6;
const isScalerUnit = (d: AxdrData | undefined): d is { kind: 'list'; structure: true; items: [{ kind: 'int'; tag: number; value: bigint }, { kind: 'int'; tag: number; value: bigint }] } =>
  d?.kind === 'list' && d.structure && d.items.length === 2 && d.items[0]!.kind === 'int' && d.items[0]!.tag === TAG.integer
  && d.items[1]!.kind === 'int' && d.items[1]!.tag === TAG.enum;

/** Walks a list: an OBIS code names the value after it (and takes the scaler-unit after that); lists nest. */
function walk(items: readonly AxdrData[], named: Named[], unnamed: AxdrData[]): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const value = items[i + 1];
    if (isObis(item) && value && !isObis(value)) {
      const [a, b, c, d, e] = item.value;
      const entry: Named = { obis: `${a}-${b}:${c}.${d}.${e}`, value };
      const su = items[i + 2];
      if (isScalerUnit(su)) {
        entry.scaler = Number(su.items[0].value);
        entry.unit = Number(su.items[1].value);
        i++;
      }
      named.push(entry);
      i++;
    } else if (item.kind === 'list') walk(item.items, named, unnamed);
    else unnamed.push(item);
  }
}

/** The base unit of an electricity quantity sent without a scaler-unit (1-0:C.D.E). */
function defaultUnit(obis: string): string | undefined {
  const m = /^1-0:(\d+)\.(\d+)\.\d+$/.exec(obis);
  if (!m) return undefined;
  const [c, d] = [Number(m[1]), Number(m[2])];
  const reactive = c === 3 || c === 4;
  if (d === 8) return reactive ? 'varh' : 'Wh';
  if (d !== 7) return undefined;
  if (c === 14) return 'Hz';
  if (c % 20 === 12) return 'V';
  if (c % 20 === 11) return 'A';
  return c === 13 || c === 33 || c === 53 || c === 73 ? undefined : reactive ? 'var' : 'W';
}

/** v × 10^scaler as a plain decimal string (no exponent: the telegram number form). */
function decimal(v: bigint, scaler: number): string {
  if (scaler >= 0) return (v * 10n ** BigInt(scaler)).toString();
  const digits = (v < 0n ? -v : v).toString().padStart(-scaler + 1, '0');
  return `${v < 0n ? '-' : ''}${digits.slice(0, scaler)}.${digits.slice(scaler)}`;
}

const latin1 = new TextDecoder('latin1');
const printable = (b: Uint8Array) => b.every((c) => c >= 0x20 && c < 0x7f && c !== 0x28 && c !== 0x29);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** A named value as the text a DSMR telegram would carry for it. */
function valueText({ obis, value, scaler = 0, unit }: Named): string | null {
  if (value.kind === 'int') {
    const symbol = unit === undefined ? defaultUnit(obis) : UNITS[unit];
    return `${decimal(value.value, scaler)}${symbol ? `*${symbol}` : ''}`;
  }
  if (value.kind === 'float') {
    const milli = Math.round(value.value * 1000); // three decimals: a float register is never finer on a P1 display
    return Number.isFinite(milli) ? decimal(BigInt(milli), scaler - 3) : null;
  }
  if (value.kind === 'bytes') return printable(value.value) ? latin1.decode(value.value) : hex(value.value);
  return null;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * A COSEM date-time (Blue Book §4.1.6.1): year(2) month day weekday hour minute second hundredths
 * deviation(2, minutes, UTC = local + deviation; 0x8000 unspecified) status. With no deviation the
 * local time is taken as Central European (the EU summer-time rule), as for a DSMR 2.2 meter.
 */
export function decodeDateTime(b: Uint8Array): P1Time | null {
  if (b.length !== 12) return null;
  const year = (b[0]! << 8) | b[1]!;
  const [month, day, , hour, minute, second] = b.subarray(2, 8);
  const deviation = ((b[9]! << 8) | b[10]!) << 16 >> 16;
  const local = `${year}-${two(month!)}-${two(day!)}T${two(hour!)}:${two(minute!)}:${two(second!)}`;
  const ms = Date.UTC(year, month! - 1, day, hour, minute, second);
  const real = year !== 0xffff && Number.isFinite(ms) && new Date(ms).toISOString().startsWith(local);
  if (!real) return { raw: local, utc: null };
  if (deviation === -0x8000) return year < 2000 || year > 2099 ? { raw: local, utc: null } : { raw: local, utc: decodeP1Time(local.slice(2).replace(/\D/g, ''))?.utc ?? null };
  const offset = -deviation;
  const sign = offset < 0 ? '-' : '+';
  const raw = `${local}${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return { raw, utc: new Date(ms + deviation * 60_000).toISOString().replace('.000Z', 'Z') };
}

/**
 * Decodes a data-notification into readings.
 * @param header - what stands for the identification line (the system title, as the reader writes it)
 * @throws DlmsError 'bad-data' when it is not a data-notification or its A-XDR does not parse to the last byte
 */
export function decodeDataNotification(p: Uint8Array, header: string): Readings {
  if (p[0] !== DATA_NOTIFICATION) throw new DlmsError('bad-data', 'not a data-notification');
  if (p.length < 7) throw new DlmsError('bad-data', 'data-notification cut short');
  let at = 5;
  let stamp: Uint8Array | null = null;
  if (p[at] === 0x0c || (p[at] === TAG.octetString && p[at + 1] === 0x0c)) {
    at += p[at] === 0x0c ? 1 : 2;
    if (at + 12 > p.length) throw new DlmsError('bad-data', 'date-time cut short');
    stamp = p.subarray(at, at + 12);
    at += 12;
  } else if (p[at] === 0) at++;
  else throw new DlmsError('bad-data', 'bad date-time field');
  const body = readData(p, at);
  if (body.next !== p.length) throw new DlmsError('bad-data', 'bytes after the notification body');
  const named: Named[] = [];
  const unnamed: AxdrData[] = [];
  walk(body.data.kind === 'list' ? body.data.items : [body.data], named, unnamed);
  const clock = named.find((n) => n.obis === '0-0:1.0.0' && n.value.kind === 'bytes')?.value as { value: Uint8Array } | undefined;
  const objects = named.filter((n) => n.obis !== '0-0:1.0.0').flatMap((n) => {
    const text = valueText(n);
    return text === null ? [] : [{ obis: n.obis, values: [text] }];
  });
  let readings: Readings;
  try {
    readings = readingsFrom(header, objects);
  } catch (cause) {
    throw new DlmsError('bad-data', 'a value does not fit its OBIS code', { cause });
  }
  readings.objects = named.length + unnamed.length;
  const time = decodeDateTime(clock?.value ?? stamp ?? new Uint8Array(0));
  if (time) readings.timestamp = time;
  return readings;
}
