/**
 * A-XDR, the encoding of DLMS/COSEM data (IEC 62056-6-2, Green Book §9.5): a tag byte, then the value;
 * arrays and structures give their element count, strings their length, in the BER length form
 * (`< 0x80` itself, `0x81 n`, `0x82 nn`, `0x83 nnn`, `0x84 nnnn`). Parsing is bounded: every element
 * takes at least one byte, and nesting deeper than MAX_DEPTH is refused.
 * @module
 */
import { DlmsError } from './errors.js';

export type AxdrData =
  | { kind: 'null' }
  | { kind: 'list'; structure: boolean; items: AxdrData[] }
  | { kind: 'int'; tag: number; value: bigint }
  | { kind: 'bytes'; tag: number; value: Uint8Array }
  | { kind: 'float'; value: number };

export const TAG = {
  array: 1, structure: 2, boolean: 3, bitString: 4, doubleLong: 5, doubleLongUnsigned: 6, octetString: 9, visibleString: 10,
  utf8String: 12, bcd: 13, integer: 15, long: 16, unsigned: 17, longUnsigned: 18, long64: 20, long64Unsigned: 21, enum: 22,
  float32: 23, float64: 24, dateTime: 25, date: 26, time: 27,
} as const;

/** Fixed-size integers: tag → [bytes, signed]. */
const INTS = new Map<number, [number, boolean]>([
  [TAG.boolean, [1, false]], [TAG.doubleLong, [4, true]], [TAG.doubleLongUnsigned, [4, false]], [TAG.bcd, [1, false]],
  [TAG.integer, [1, true]], [TAG.long, [2, true]], [TAG.unsigned, [1, false]], [TAG.longUnsigned, [2, false]],
  [TAG.long64, [8, true]], [TAG.long64Unsigned, [8, false]], [TAG.enum, [1, false]],
]);
/** Fixed-size byte values: date-time, date, time. */
const FIXED = new Map<number, number>([[TAG.dateTime, 12], [TAG.date, 5], [TAG.time, 4]]);
const STRINGS = new Set<number>([TAG.octetString, TAG.visibleString, TAG.utf8String]);

export const MAX_DEPTH = 16;

/**
 * A BER length at b[at]: its value and the index after it; 'more' when b ends inside it; null when the
 * form is not one of the five above.
 */
export function readLength(b: Uint8Array, at: number): { value: number; next: number } | 'more' | null {
  if (at >= b.length) return 'more';
  const first = b[at]!;
  if (first < 0x80) return { value: first, next: at + 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 4) return null;
  if (at + n >= b.length) return 'more';
  let value = 0;
  for (let k = 1; k <= n; k++) value = value * 256 + b[at + k]!;
  return { value, next: at + 1 + n };
}

const bad = (why: string): never => {
  throw new DlmsError('bad-data', `A-XDR: ${why}`);
};

function need(b: Uint8Array, at: number, n: number): void {
  if (at + n > b.length) bad('value runs past the end');
}

function lengthAt(b: Uint8Array, at: number): { value: number; next: number } {
  const length = readLength(b, at);
  if (length === null) return bad('bad length form');
  if (length === 'more') return bad('length runs past the end');
  return length;
}

/**
 * Reads one Data value at b[at].
 * @returns the value and the index after it
 * @throws DlmsError 'bad-data' on an unknown tag, a value past the end, or nesting deeper than MAX_DEPTH
 */
export function readData(b: Uint8Array, at: number, depth = 0): { data: AxdrData; next: number } {
  need(b, at, 1);
  const tag = b[at]!;
  let i = at + 1;
  if (tag === 0) return { data: { kind: 'null' }, next: i };
  if (tag === TAG.array || tag === TAG.structure) {
    if (depth >= MAX_DEPTH) bad('nested too deep');
    const count = lengthAt(b, i);
    if (count.value > b.length - count.next) bad('more elements than bytes');
    const items: AxdrData[] = [];
    i = count.next;
    for (let k = 0; k < count.value; k++) {
      const item = readData(b, i, depth + 1);
      items.push(item.data);
      i = item.next;
    }
    return { data: { kind: 'list', structure: tag === TAG.structure, items }, next: i };
  }
  const int = INTS.get(tag);
  if (int) {
    const [n, signed] = int;
    need(b, i, n);
    let value = 0n;
    for (let k = 0; k < n; k++) value = (value << 8n) | BigInt(b[i + k]!);
    if (signed && value >= 1n << BigInt(8 * n - 1)) value -= 1n << BigInt(8 * n);
    return { data: { kind: 'int', tag, value }, next: i + n };
  }
  if (tag === TAG.float32 || tag === TAG.float64) {
    const n = tag === TAG.float32 ? 4 : 8;
    need(b, i, n);
    const view = new DataView(b.buffer, b.byteOffset + i, n);
    return { data: { kind: 'float', value: n === 4 ? view.getFloat32(0) : view.getFloat64(0) }, next: i + n };
  }
  const fixed = FIXED.get(tag);
  if (fixed !== undefined) {
    need(b, i, fixed);
    return { data: { kind: 'bytes', tag, value: b.slice(i, i + fixed) }, next: i + fixed };
  }
  if (STRINGS.has(tag) || tag === TAG.bitString) {
    const length = lengthAt(b, i);
    const n = tag === TAG.bitString ? Math.ceil(length.value / 8) : length.value;
    need(b, length.next, n);
    return { data: { kind: 'bytes', tag, value: b.slice(length.next, length.next + n) }, next: length.next + n };
  }
  return bad(`tag ${tag} not supported`);
}
