/**
 * BOLT-11 payment requests, as far as the fake Lightning backend needs them: encode a signed invoice for an
 * amount, and read amount and payment hash back out of any invoice a wallet asks the mint to pay.
 *
 * Encoding follows BOLT #11: hrp `ln` + network + amount, a 35-bit timestamp, tagged fields (type, 10-bit
 * length, data), then a 65-byte recoverable secp256k1 signature (r || s || recovery id) over
 * SHA256(hrp || data bits padded to bytes). Decoding uses `light-bolt11-decoder`, which does not check
 * signatures: the mint only needs the amount and the hash, and a real backend verifies before paying.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { bech32, utf8 } from '@scure/base';
import lightBolt11 from 'light-bolt11-decoder';
import { MintError } from './errors.js';

/** BOLT #11 tagged-field types, as their bech32 values. */
const TAG = { paymentHash: 1, paymentSecret: 16, description: 13, expiry: 6, minFinalCltv: 24, features: 5 } as const;
/** Feature bits 8 (var_onion_optin) and 14 (payment_secret), both required, as 5-bit words. */
const FEATURES = [16, 8, 0];
const MSAT_PER = { m: 100_000_000n, u: 100_000n, n: 100n } as const;

export interface InvoiceFields {
  /** Network part of the hrp: `bc` (mainnet), `bcrt` (regtest), `tb` (testnet). */
  network: string;
  amountMsat: bigint;
  paymentHash: Uint8Array;
  paymentSecret: Uint8Array;
  description: string;
  expirySeconds: number;
  /** Unix seconds. */
  timestamp: number;
  /** The node key that signs the invoice. */
  nodeKey: Uint8Array;
}

/** Encodes and signs a BOLT-11 invoice. */
export function encodeInvoice(f: InvoiceFields): string {
  if (f.amountMsat <= 0n) throw new RangeError('"amountMsat" must be positive');
  const hrp = `ln${f.network}${hrpAmount(f.amountMsat)}`;
  const words = [
    ...uintWords(BigInt(f.timestamp), 7),
    ...tagged(TAG.paymentHash, bech32.toWords(f.paymentHash)),
    ...tagged(TAG.paymentSecret, bech32.toWords(f.paymentSecret)),
    ...tagged(TAG.description, bech32.toWords(utf8.decode(f.description))),
    ...tagged(TAG.expiry, uintWords(BigInt(f.expirySeconds))),
    ...tagged(TAG.minFinalCltv, uintWords(18n)),
    ...tagged(TAG.features, FEATURES),
  ];
  const digest = sha256(concatBytes(utf8.decode(hrp), wordsToPaddedBytes(words)));
  const recovered = secp256k1.sign(digest, f.nodeKey, { prehash: false, format: 'recovered' });
  // noble puts the recovery id first; BOLT #11 wants it last.
  const signature = concatBytes(recovered.subarray(1), recovered.subarray(0, 1));
  return bech32.encode(hrp, [...words, ...bech32.toWords(signature)], false);
}

export interface DecodedInvoice {
  /** null for an amountless invoice. */
  amountMsat: bigint | null;
  paymentHash: string;
  /** Unix seconds. */
  expiresAt: number;
}

/** Reads amount, payment hash and expiry from a BOLT-11 invoice; MintError('bad-request') if it is not one. */
export function decodeInvoice(request: string): DecodedInvoice {
  let decoded: ReturnType<typeof lightBolt11.decode>;
  try {
    decoded = lightBolt11.decode(request);
  } catch (cause) {
    throw new MintError('bad-request', 'not a bolt11 invoice', { cause });
  }
  let amountMsat: bigint | null = null;
  let paymentHash: string | undefined;
  let timestamp = 0;
  for (const s of decoded.sections) {
    if (s.name === 'amount') amountMsat = BigInt(s.value);
    else if (s.name === 'payment_hash') paymentHash = s.value;
    else if (s.name === 'timestamp') timestamp = s.value;
  }
  if (paymentHash === undefined) throw new MintError('bad-request', 'bolt11 invoice has no payment hash');
  return { amountMsat, paymentHash, expiresAt: timestamp + decoded.expiry };
}

function hrpAmount(msat: bigint): string {
  for (const [unit, per] of Object.entries(MSAT_PER)) if (msat % per === 0n) return `${msat / per}${unit}`;
  return `${msat * 10n}p`; // 1 pico-bitcoin = 0.1 msat
}

/** Big-endian 5-bit words of `n`, at least `width` of them (BOLT #11 uses minimal length for integers). */
function uintWords(n: bigint, width = 1): number[] {
  const out: number[] = [];
  for (let v = n; v > 0n || out.length < width; v >>= 5n) out.unshift(Number(v & 31n));
  return out;
}

function tagged(type: number, data: number[]): number[] {
  if (data.length >= 1024) throw new RangeError('tagged field too long');
  return [type, data.length >> 5, data.length & 31, ...data];
}

function wordsToPaddedBytes(words: number[]): Uint8Array {
  const padded = [...words];
  while ((padded.length * 5) % 8 !== 0) padded.push(0);
  return Uint8Array.from(bech32.fromWords(padded));
}
