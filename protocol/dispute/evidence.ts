/**
 * A period's evidence for a dispute (docs/dispute.md): everything a third party needs to check, without the app,
 * that the household paid every token of the period and that its combined receipt matches the meter's bill.
 * Bytes travel as lowercase hex. No coin and no seed is part of it; ρ_t is, by the household's choice.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { P256_PUBLIC_BYTES, SIG_BYTES } from '../backend.js';
import { bytesToHex, concatBytes, hexToBytes } from '../bytes.js';
import { G1_BYTES, G2_BYTES, SCALAR_BYTES } from '../curve.js';
import { DecodeError } from '../errors.js';
import { assertMeterId } from '../messages.js';

export const EVIDENCE_FORMAT = 'sipster-dispute-evidence';
export const EVIDENCE_VERSION = 1;

/** The file as written: every byte string hex. */
export interface DisputeEvidence {
  format: typeof EVIDENCE_FORMAT;
  version: typeof EVIDENCE_VERSION;
  utility: { A1: string; A2: string; fingerprint: string };
  set: { set: number; tokenPublicKey: string };
  /** Each token (T, σ) with its receipt ω, in the meter's order. */
  tokens: { T: string; sig: string; receipt: string }[];
  bill: { meter: string; period: number; fault: boolean; R: string; sig: string; billPublicKey: string | null };
  /** ρ_t, 32 bytes big-endian. */
  mask: string;
  /** C */
  combined: string;
  /** The utility's answer to C; null while none came. */
  settlement: { state: 'sent' | 'settled' | 'refused'; answer: string | null; answeredAt: string | null } | null;
}

/** SHA-256(A1 || A2), hex: the fingerprint the app shows when it pins the utility's key. */
export const receiptKeyFingerprint = (A1: Uint8Array, A2: Uint8Array): string => bytesToHex(sha256(concatBytes(A1, A2)));

export interface DecodedEvidence {
  A1: Uint8Array;
  A2: Uint8Array;
  fingerprint: string;
  set: number;
  tokenPublicKey: Uint8Array;
  tokens: { T: Uint8Array; sig: Uint8Array; receipt: Uint8Array }[];
  bill: { meter: string; period: number; fault: boolean; R: Uint8Array; sig: Uint8Array };
  billPublicKey: Uint8Array | null;
  mask: bigint;
  combined: Uint8Array;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function field(o: Record<string, unknown>, where: string, name: string): unknown {
  if (!(name in o)) throw new DecodeError('bad-length', `${where}.${name} is missing`);
  return o[name];
}

function hexField(o: Record<string, unknown>, where: string, name: string, length?: number): Uint8Array {
  const v = field(o, where, name);
  if (typeof v !== 'string') throw new DecodeError('bad-hex', `${where}.${name} must be a hex string`);
  try {
    return hexToBytes(v, length);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    throw new DecodeError(e.code, `${where}.${name}: ${e.message}`);
  }
}

function u32Field(o: Record<string, unknown>, where: string, name: string): number {
  const v = field(o, where, name);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new DecodeError('out-of-range', `${where}.${name} must be a u32`);
  return v;
}

function objectField(o: Record<string, unknown>, where: string, name: string): Record<string, unknown> {
  const v = field(o, where, name);
  if (!isObject(v)) throw new DecodeError('bad-length', `${where}.${name} must be an object`);
  return v;
}

/**
 * Reads the file's JSON into bytes and numbers. Only the shape is checked here (lengths, hex, types);
 * what the bytes mean is for verifyEvidence.
 * @throws DecodeError naming the field
 */
export function decodeEvidence(json: unknown): DecodedEvidence {
  if (!isObject(json) || json.format !== EVIDENCE_FORMAT) throw new DecodeError('bad-domain-tag', `not a ${EVIDENCE_FORMAT} file`);
  if (json.version !== EVIDENCE_VERSION) throw new DecodeError('out-of-range', `evidence version ${String(json.version)} is not ${EVIDENCE_VERSION}`);
  const utility = objectField(json, 'evidence', 'utility');
  const set = objectField(json, 'evidence', 'set');
  const bill = objectField(json, 'evidence', 'bill');
  const tokens = field(json, 'evidence', 'tokens');
  if (!Array.isArray(tokens)) throw new DecodeError('bad-length', 'evidence.tokens must be a list');
  const fingerprint = field(utility, 'utility', 'fingerprint');
  if (typeof fingerprint !== 'string') throw new DecodeError('bad-hex', 'utility.fingerprint must be a hex string');
  const meter = field(bill, 'bill', 'meter');
  if (typeof meter !== 'string') throw new DecodeError('bad-length', 'bill.meter must be a string');
  try {
    assertMeterId(meter);
  } catch (e) {
    throw new DecodeError('out-of-range', `bill.meter: ${(e as Error).message}`);
  }
  const fault = field(bill, 'bill', 'fault');
  if (typeof fault !== 'boolean') throw new DecodeError('out-of-range', 'bill.fault must be true or false');
  const bpk = field(bill, 'bill', 'billPublicKey');
  return {
    A1: hexField(utility, 'utility', 'A1', G1_BYTES),
    A2: hexField(utility, 'utility', 'A2', G2_BYTES),
    fingerprint,
    set: u32Field(set, 'set', 'set'),
    tokenPublicKey: hexField(set, 'set', 'tokenPublicKey', P256_PUBLIC_BYTES),
    tokens: tokens.map((t, i) => {
      if (!isObject(t)) throw new DecodeError('bad-length', `tokens[${i}] must be an object`);
      return { T: hexField(t, `tokens[${i}]`, 'T', G1_BYTES), sig: hexField(t, `tokens[${i}]`, 'sig', SIG_BYTES), receipt: hexField(t, `tokens[${i}]`, 'receipt', G1_BYTES) };
    }),
    bill: { meter, period: u32Field(bill, 'bill', 'period'), fault, R: hexField(bill, 'bill', 'R', G1_BYTES), sig: hexField(bill, 'bill', 'sig', SIG_BYTES) },
    billPublicKey: bpk === null ? null : hexField(bill, 'bill', 'billPublicKey', P256_PUBLIC_BYTES),
    mask: BigInt(`0x${bytesToHex(hexField(json, 'evidence', 'mask', SCALAR_BYTES))}`),
    combined: hexField(json, 'evidence', 'combined', G1_BYTES),
  };
}

/** The file from its parts; the fingerprint is computed here, so the writer cannot get it wrong. */
export function encodeEvidence(e: Omit<DecodedEvidence, 'fingerprint'>, settlement: DisputeEvidence['settlement']): DisputeEvidence {
  const hex = bytesToHex;
  return {
    format: EVIDENCE_FORMAT,
    version: EVIDENCE_VERSION,
    utility: { A1: hex(e.A1), A2: hex(e.A2), fingerprint: receiptKeyFingerprint(e.A1, e.A2) },
    set: { set: e.set, tokenPublicKey: hex(e.tokenPublicKey) },
    tokens: e.tokens.map((t) => ({ T: hex(t.T), sig: hex(t.sig), receipt: hex(t.receipt) })),
    bill: { meter: e.bill.meter, period: e.bill.period, fault: e.bill.fault, R: hex(e.bill.R), sig: hex(e.bill.sig), billPublicKey: e.billPublicKey ? hex(e.billPublicKey) : null },
    mask: e.mask.toString(16).padStart(64, '0'),
    combined: hex(e.combined),
    settlement,
  };
}
