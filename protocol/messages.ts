/**
 * The signed messages (protocol.md §TokenGen, §BillGen). Each starts with its ASCII domain tag, which
 * carries the version, so no signature can be replayed across message kinds. Fields are fixed-width
 * except the meter ID, which is length-prefixed.
 *
 *   token: "SIPSTER-V1-TOKEN" || S:u32 || t:u32 || T:48          (never i, the meter ID or K)
 *   bill:  "SIPSTER-V1-BILL"  || len:u8 || ID || t:u32 || fault:u8 || R_t:48
 * @module
 */
import { ascii, concatBytes, u32 } from './bytes.js';
import { G1_BYTES } from './curve.js';
import { TAG_BILL, TAG_TOKEN } from './hash.js';

/** Meter IDs are short printable names, so they fit the link and a bill unambiguously. */
export const METER_ID = /^[A-Za-z0-9._-]{1,32}$/;

export function assertMeterId(id: string): void {
  if (typeof id !== 'string' || !METER_ID.test(id)) throw new RangeError('meter id must be 1..32 characters of [A-Za-z0-9._-]');
}

function assertG1Bytes(name: string, b: Uint8Array): void {
  if (!(b instanceof Uint8Array) || b.length !== G1_BYTES) throw new TypeError(`${name} must be ${G1_BYTES} bytes`);
}

export function tokenMessage(set: number, period: number, T: Uint8Array): Uint8Array {
  assertG1Bytes('T', T);
  return concatBytes(ascii(TAG_TOKEN), u32('set', set), u32('period', period), T);
}

export function billMessage(meter: string, period: number, fault: boolean, R: Uint8Array): Uint8Array {
  assertMeterId(meter);
  assertG1Bytes('R', R);
  const id = ascii(meter);
  return concatBytes(ascii(TAG_BILL), Uint8Array.of(id.length), id, u32('period', period), Uint8Array.of(fault ? 1 : 0), R);
}
