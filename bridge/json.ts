/**
 * Plain-JSON forms for people and scripts (`p1 decode`, `p1 listen`) and for key files: bytes as
 * lowercase hex, ρ_t as hex, everything else as numbers and strings.
 * @module
 */
import { bytesToHex, hexToBytes, p256PublicKeyCheck, scalarToBytes, type BillWithOpening, type Token } from '../protocol/index.js';
import { LinkError } from './errors.js';
import type { MeterKeys, TelegramResult } from './link-reader.js';

const tokenJson = (t: Token) => ({ set: t.set, period: t.period, index: t.index, T: bytesToHex(t.T), sig: bytesToHex(t.sig) });
const billJson = ({ bill, mask, count }: BillWithOpening) => ({
  meter: bill.meter, period: bill.period, fault: bill.fault, R: bytesToHex(bill.R), sig: bytesToHex(bill.sig), mask: bytesToHex(scalarToBytes(mask)), count,
});

/** `{ ok, error?, crc?, readings, tokens, bill?, verified?, encryption? }`: one line of `p1 decode`. */
export function telegramResultToJson(result: TelegramResult): Record<string, unknown> {
  if (!result.ok) return { ok: false, error: result.error, readings: null, tokens: [] };
  return {
    ok: true, crc: result.crc, readings: result.readings, tokens: result.tokens.map(tokenJson),
    ...(result.bill ? { bill: billJson(result.bill) } : {}), verified: result.verified,
    ...(result.encryption ? { encryption: result.encryption } : {}),
  };
}

/** A meter's public key file `{ setPublicKey, billPublicKey, meter? }` (hex), as the meter emulator writes it. */
export function meterKeysFromJson(json: unknown): MeterKeys {
  const o = json as Record<string, unknown>;
  try {
    const keys: MeterKeys = { setPublicKey: hexToBytes(String(o.setPublicKey)), billPublicKey: hexToBytes(String(o.billPublicKey)) };
    p256PublicKeyCheck(keys.setPublicKey);
    p256PublicKeyCheck(keys.billPublicKey);
    return typeof o.meter === 'string' ? { ...keys, meter: o.meter } : keys;
  } catch (cause) {
    throw new LinkError('bad-keys', 'not a meter key file', { cause });
  }
}
