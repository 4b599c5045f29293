/**
 * One telegram as the history keeps it: every value an integer in a small unit (Wh, W, dV), null where the meter
 * does not send it; and the compact encoding of a sample (one SQLite row a telegram, its time the rowid).
 *
 * The first sample of each minute (and one after a restart, or whose set of values changed) is a *keyframe*: a
 * varint of the values present, then each value. Every other sample holds the differences from the one before it,
 * which are small (a register moves by a few Wh a second): about 20 bytes a telegram instead of about 60.
 * Varints are LEB128 of zigzag numbers, written with arithmetic (registers can pass 2^31).
 * @module
 */
import type { Readings, Registers } from '../../../protocol/index.js';

/** The values of a sample, in encoding order. Registers: 1.8.1–1.8.4 and 1.8.0 (a meter with no tariff registers). */
export const FIELDS = [
  'import1', 'import2', 'import3', 'import4', 'importTotal',
  'export1', 'export2', 'export3', 'export4', 'exportTotal',
  'tariff', 'powerImport', 'powerExport',
  'powerImportL1', 'powerImportL2', 'powerImportL3', 'powerExportL1', 'powerExportL2', 'powerExportL3',
  'voltageL1', 'voltageL2', 'voltageL3',
] as const;
export type Field = (typeof FIELDS)[number];
/** The ten energy registers (Wh) come first: `values[0..4]` import, `values[5..9]` export. */
export const REGISTERS = 10;
/** Where power import (W) sits in `values`. */
export const POWER_IMPORT = FIELDS.indexOf('powerImport');

/** Import (`at` 0) or export (`at` 5) energy (Wh): the tariff registers' sum, or x.8.0 for a meter that has none. */
export function energy(v: readonly (number | null)[], at: number): number | null {
  let sum: number | null = null;
  for (let i = at; i < at + 4; i++) if (v[i] !== null) sum = (sum ?? 0) + v[i]!;
  return sum ?? v[at + 4]!;
}

export interface Sample {
  /** Seconds since the epoch (the meter's own time stamp, or the arrival time when the telegram has none). */
  t: number;
  values: (number | null)[];
}

const wh = (kwh: number | undefined) => (kwh === undefined ? null : Math.round(kwh * 1000));
const registers = (r: Registers) => [wh(r.t1), wh(r.t2), wh(r.t3), wh(r.t4), wh(r.total)];
const watts = (kw: number | undefined) => (kw === undefined ? null : Math.round(kw * 1000));

/** The tariff indicator as a register number 1–4, or null (some meters write other codes). */
function tariffOf(r: Readings): number | null {
  const n = r.tariff === undefined ? NaN : Number(r.tariff);
  return Number.isInteger(n) && n >= 1 && n <= 4 ? n : null;
}

export function sampleOf(r: Readings, t: number): Sample {
  const v = r.voltageV;
  const pi = r.powerImportKwPhases;
  const pe = r.powerExportKwPhases;
  const dv = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10));
  return {
    t,
    values: [
      ...registers(r.importKwh), ...registers(r.exportKwh), tariffOf(r), watts(r.powerImportKw), watts(r.powerExportKw),
      watts(pi.l1), watts(pi.l2), watts(pi.l3), watts(pe.l1), watts(pe.l2), watts(pe.l3), dv(v.l1), dv(v.l2), dv(v.l3),
    ],
  };
}

/** Which values are present, one bit each (22 fields: an int32). */
function maskOf(values: readonly (number | null)[]): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== null) m |= 1 << i;
  return m;
}

class Writer {
  readonly bytes = Buffer.alloc(8 + FIELDS.length * 10);
  at = 0;
  varint(n: number): void {
    let z = n >= 0 ? n * 2 : -n * 2 - 1;
    while (z >= 128) {
      this.bytes[this.at++] = (z % 128) + 128;
      z = Math.floor(z / 128);
    }
    this.bytes[this.at++] = z;
  }
}

/** Encodes `s`, as differences from `prev` when `prev` is given and holds the same values. */
export function encodeSample(s: Sample, prev: Sample | null): Buffer {
  const w = new Writer();
  const mask = maskOf(s.values);
  const delta = prev !== null && maskOf(prev.values) === mask;
  w.varint(delta ? 0 : mask + 1); // 0: differences; else 1 + the mask of the values present
  for (let i = 0; i < s.values.length; i++) {
    const x = s.values[i];
    if (x !== null && x !== undefined) w.varint(delta ? x - prev!.values[i]! : x);
  }
  return Buffer.from(w.bytes.subarray(0, w.at));
}

/** Whether the sample written at `t` after `prev` may be a difference (else it starts a keyframe). */
export const mayDelta = (prev: Sample | null, t: number): prev is Sample => prev !== null && Math.floor(prev.t / 60) === Math.floor(t / 60);

/** Decodes one row; `prev` is the sample decoded just before it (needed unless the row is a keyframe). */
export function decodeSample(t: number, bytes: Uint8Array, prev: Sample | null): Sample {
  let at = 0;
  const next = (): number => {
    const first = bytes[at];
    if (first !== undefined && first < 128) { // one byte: most differences
      at++;
      return first % 2 === 0 ? first / 2 : -(first + 1) / 2;
    }
    let z = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw new RangeError('history sample cut short');
      z += (b % 128) * scale;
      if (b < 128) break;
      scale *= 128;
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  };
  const head = next();
  if (head === 0 && prev === null) throw new RangeError('history sample is a difference with nothing before it');
  const mask = head === 0 ? maskOf(prev!.values) : head - 1;
  const values = new Array<number | null>(FIELDS.length);
  for (let i = 0; i < FIELDS.length; i++) {
    if (((mask >> i) & 1) === 0) values[i] = null;
    else values[i] = head === 0 ? prev!.values[i]! + next() : next();
  }
  return { t, values };
}
