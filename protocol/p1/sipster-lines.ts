/**
 * The Sipster lines of a P1 telegram (docs/serial-protocol.md). OBIS codes with C = 128 are in the
 * manufacturer-specific range of IEC 62056-61, so ordinary P1 software skips them as unknown objects.
 *
 *   0-0:128.0.0(v)(S)                     Sipster version v and anonymity set S (once per telegram)
 *   0-0:128.1.0(t)(i)(T)(σ)               token i of period t: T 48-byte G1 point, σ 64-byte P-256 r||s
 *   0-0:128.2.0(ID)(t)(f)(R)(β)(ρ)(K)     bill of period t (fault f) and, for the household, ρ_t and K_t
 *
 * Numbers are decimal without leading zeros; bytes are lowercase hex (never base64, whose '/' is the
 * telegram start). Decoding is strict and canonical, so a repeat is byte-identical to the original.
 * Curve and signature checks are the caller's (the bridge), with the keys it trusts.
 * @module
 */
import { SIG_BYTES } from '../backend.js';
import { bigIntToBytes, bytesToBigInt, bytesToHex, hexToBytes } from '../bytes.js';
import { G1_BYTES, Q, SCALAR_BYTES } from '../curve.js';
import { METER_ID } from '../messages.js';
import type { Bill, Token } from '../meter.js';
import type { CosemObject } from './cosem.js';
import { TelegramError } from './errors.js';

export const SIPSTER_VERSION = 1;
export const OBIS_SIPSTER = '0-0:128.0.0';
export const OBIS_TOKEN = '0-0:128.1.0';
export const OBIS_BILL = '0-0:128.2.0';

/** A bill as the household receives it: the bill for the UC, plus ρ_t and K_t that never leave the home. */
export interface BillWithOpening {
  bill: Bill;
  mask: bigint;
  count: number;
}

const fail = (what: string): never => {
  throw new TelegramError('bad-sipster-line', `Sipster ${what} line does not decode`);
};

function u32(text: string | undefined, what: string): number {
  if (text === undefined || !/^(0|[1-9]\d{0,9})$/.test(text) || Number(text) > 0xffff_ffff) return fail(what);
  return Number(text);
}

function hex(text: string | undefined, length: number, what: string): Uint8Array {
  if (text === undefined || !/^[0-9a-f]*$/.test(text)) return fail(what);
  try {
    return hexToBytes(text, length);
  } catch (cause) {
    throw new TelegramError('bad-sipster-line', `Sipster ${what} line does not decode`, { cause });
  }
}

const line = (obis: string, values: (string | number)[]) => `${obis}(${values.join(')(')})`;

export const encodeSipsterLine = (set: number): string => line(OBIS_SIPSTER, [SIPSTER_VERSION, set]);

export const encodeTokenLine = (token: Token): string =>
  line(OBIS_TOKEN, [token.period, token.index, bytesToHex(token.T), bytesToHex(token.sig)]);

export const encodeBillLine = ({ bill, mask, count }: BillWithOpening): string =>
  line(OBIS_BILL, [bill.meter, bill.period, bill.fault ? 1 : 0, bytesToHex(bill.R), bytesToHex(bill.sig), bytesToHex(bigIntToBytes(mask, SCALAR_BYTES)), count]);

export function decodeSipsterLine({ values }: CosemObject): { version: number; set: number } {
  if (values.length !== 2) fail('version');
  const version = u32(values[0], 'version');
  if (version !== SIPSTER_VERSION) fail('version');
  return { version, set: u32(values[1], 'version') };
}

export function decodeTokenLine({ values }: CosemObject, set: number): Token {
  if (values.length !== 4) fail('token');
  return { set, period: u32(values[0], 'token'), index: u32(values[1], 'token'), T: hex(values[2], G1_BYTES, 'token'), sig: hex(values[3], SIG_BYTES, 'token') };
}

export function decodeBillLine({ values }: CosemObject): BillWithOpening {
  if (values.length !== 7) fail('bill');
  const [meter, period, fault, R, sig, mask, count] = values;
  if (meter === undefined || !METER_ID.test(meter) || (fault !== '0' && fault !== '1')) fail('bill');
  const rho = bytesToBigInt(hex(mask, SCALAR_BYTES, 'bill'));
  if (rho >= Q) fail('bill');
  return {
    bill: { meter: meter!, period: u32(period, 'bill'), fault: fault === '1', R: hex(R, G1_BYTES, 'bill'), sig: hex(sig, SIG_BYTES, 'bill') },
    mask: rho,
    count: u32(count, 'bill'),
  };
}
