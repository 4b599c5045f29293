/**
 * OBIS object lines (IEC 62056-61 codes, DSMR P1 §6.12): `A-B:C.D.E(v1)(v2)…`. The DSMR 2.2/3.0
 * profile form puts a value on the next line by itself, `(00001.001)`; it is appended to the
 * object before it. Anything else is a bad line.
 * @module
 */
import { TelegramError } from './errors.js';

export interface CosemObject {
  /** The OBIS code as written, e.g. `1-0:1.8.1`. */
  obis: string;
  /** The values inside the parentheses, in order, as written. */
  values: string[];
}

const OBJECT = /^(\d{1,3}-\d{1,3}:\d{1,3}\.\d{1,3}\.\d{1,3})((?:\([^()]*\))+)$/;
const CONTINUATION = /^((?:\([^()]*\))+)$/;

const valuesOf = (group: string) => group.slice(1, -1).split(')(');

/** Parses the lines between the header and the '!' (line numbers in errors count from the header). */
export function parseCosemLines(lines: readonly string[]): CosemObject[] {
  const objects: CosemObject[] = [];
  lines.forEach((line, n) => {
    if (line === '' && n === 0) return; // the blank line after the header
    const object = OBJECT.exec(line);
    if (object) {
      objects.push({ obis: object[1]!, values: valuesOf(object[2]!) });
      return;
    }
    const continuation = CONTINUATION.exec(line);
    const last = objects.at(-1);
    if (continuation && last) {
      last.values.push(...valuesOf(continuation[1]!));
      return;
    }
    throw new TelegramError('bad-line', `line ${n + 2} is not an OBIS object`);
  });
  return objects;
}

/** Splits `000004.426*kWh` into a number in the base unit (kWh, kW, m3 …: Wh and W are scaled). */
export function parseQuantity(value: string, obis: string): { value: number; unit: string | null } {
  const star = value.indexOf('*');
  const digits = star < 0 ? value : value.slice(0, star);
  const unit = star < 0 ? null : value.slice(star + 1);
  if (!/^-?\d+(\.\d+)?$/.test(digits)) throw new TelegramError('bad-line', `${obis}: not a number`);
  const n = Number(digits);
  const lower = unit?.toLowerCase();
  if (lower === 'wh' || lower === 'w' || lower === 'varh' || lower === 'var') {
    return { value: n / 1000, unit: `k${lower === 'wh' ? 'Wh' : lower === 'w' ? 'W' : lower}` };
  }
  return { value: n, unit: unit === null ? null : (CANONICAL_UNITS[lower!] ?? unit) };
}

const CANONICAL_UNITS: Record<string, string> = { kwh: 'kWh', kw: 'kW', v: 'V', a: 'A', m3: 'm3', gj: 'GJ', s: 's', hz: 'Hz' };
