/**
 * Byte helpers with strict decoding: lowercase or uppercase hex of even length only, fixed-width
 * big-endian integers. Programmer misuse is a TypeError/RangeError; bad outside data a DecodeError.
 * @module
 */
import { bytesToHex as nobleBytesToHex, hexToBytes as nobleHexToBytes } from '@noble/hashes/utils.js';
import { DecodeError } from './errors.js';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** @returns lowercase hex, the encoding every test vector and wire format uses. */
export const bytesToHex = (bytes: Uint8Array): string => nobleBytesToHex(bytes);

/**
 * @param expectedLength - when given, the decoded length must equal it.
 * @throws DecodeError 'bad-hex' | 'bad-length'
 */
export function hexToBytes(hex: string, expectedLength?: number): Uint8Array {
  if (typeof hex !== 'string' || !HEX.test(hex)) throw new DecodeError('bad-hex', 'not an even-length hex string');
  const out = nobleHexToBytes(hex);
  if (expectedLength !== undefined && out.length !== expectedLength)
    throw new DecodeError('bad-length', `expected ${expectedLength} bytes, got ${out.length}`);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const MAX_U32 = 0xffff_ffff;

export function assertU32(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_U32) throw new RangeError(`${name} must be an integer in [0, 2^32)`);
}

/** 4-byte big-endian: the width of set, period, epoch and token index in every hashed or signed message. */
export function u32(name: string, n: number): Uint8Array {
  assertU32(name, n);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + bytesToHex(bytes));
}

export function bigIntToBytes(n: bigint, length: number): Uint8Array {
  if (n < 0n || n >= 1n << BigInt(8 * length)) throw new RangeError(`integer does not fit in ${length} bytes`);
  return hexToBytes(n.toString(16).padStart(2 * length, '0'));
}
