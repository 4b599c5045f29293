import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import fc from 'fast-check';
import lightBolt11 from 'light-bolt11-decoder';
import { describe, expect, it } from 'vitest';
import { decodeInvoice, encodeInvoice, type InvoiceFields } from './bolt11.js';
import { MintError } from './errors.js';

const nodeKey = secp256k1.utils.randomSecretKey();
const fields = (o: Partial<InvoiceFields> = {}): InvoiceFields => ({
  network: 'bcrt',
  amountMsat: 21_000n,
  paymentHash: sha256(utf8ToBytes('preimage')),
  paymentSecret: new Uint8Array(32).fill(7),
  description: 'sipster demo',
  expirySeconds: 3600,
  timestamp: 1_700_000_000,
  nodeKey,
  ...o,
});

/** BOLT #11 signature check: recover the key from (r, s, recid) over SHA256(hrp || data bytes). */
function signer(invoice: string): string {
  const { prefix, words } = bech32.decode(invoice as `${string}1${string}`, false);
  const data = words.slice(0, -104);
  const sig = Uint8Array.from(bech32.fromWords(words.slice(-104)));
  const padded = [...data];
  while ((padded.length * 5) % 8 !== 0) padded.push(0);
  const digest = sha256(concatBytes(utf8ToBytes(prefix), Uint8Array.from(bech32.fromWords(padded))));
  const recovered = concatBytes(sig.subarray(64), sig.subarray(0, 64));
  return bytesToHex(secp256k1.recoverPublicKey(recovered, digest, { prehash: false }));
}

describe('BOLT-11 invoices of the fake backend', () => {
  it('decode (independent decoder) to the amount, hash, description and expiry they were made with', () => {
    const f = fields();
    const invoice = encodeInvoice(f);
    expect(invoice.startsWith('lnbcrt210n1')).toBe(true);
    const sections = Object.fromEntries(lightBolt11.decode(invoice).sections.map((s) => [s.name, 'value' in s ? s.value : s.letters]));
    expect(sections.amount).toBe('21000');
    expect(sections.payment_hash).toBe(bytesToHex(f.paymentHash));
    expect(sections.description).toBe('sipster demo');
    expect(sections.expiry).toBe(3600);
    expect(sections.timestamp).toBe(1_700_000_000);
    expect(decodeInvoice(invoice)).toEqual({ amountMsat: 21_000n, paymentHash: bytesToHex(f.paymentHash), expiresAt: 1_700_003_600 });
  });

  it('are signed by the node key (signature recovers to it)', () => {
    expect(signer(encodeInvoice(fields()))).toBe(bytesToHex(secp256k1.getPublicKey(nodeKey, true)));
  });

  it('carry any amount exactly, in the shortest multiplier', () => {
    expect(encodeInvoice(fields({ amountMsat: 100_000_000n, network: 'bc' })).startsWith('lnbc1m1')).toBe(true);
    expect(encodeInvoice(fields({ amountMsat: 1n })).startsWith('lnbcrt10p1')).toBe(true);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 50n }), (amountMsat) => {
        expect(decodeInvoice(encodeInvoice(fields({ amountMsat }))).amountMsat).toBe(amountMsat);
      }),
      { numRuns: 50 },
    );
  });

  it('decodes a real mainnet invoice and refuses garbage with a MintError', () => {
    const real =
      'lnbc20u1p3y0x3hpp5743k2g0fsqqxj7n8qzuhns5gmkk4djeejk3wkp64ppevgekvc0jsdqcve5kzar2v9nr5gpqd4hkuetesp5ez2g297jduwc20t6lmqlsg3man0vf2jfd8ar9fh8fhn2g8yttfkqxqy9gcqcqzys9qrsgqrzjqtx3k77yrrav9hye7zar2rtqlfkytl094dsp0ms5majzth6gt7ca6uhdkxl983uywgqqqqlgqqqvx5qqjqrzjqd98kxkpyw0l9tyy8r8q57k7zpy9zjmh6sez752wj6gcumqnj3yxzhdsmg6qq56utgqqqqqqqqqqqeqqjq7jd56882gtxhrjm03c93aacyfy306m4fq0tskf83c0nmet8zc2lxyyg3saz8x6vwcp26xnrlagf9semau3qm2glysp7sv95693fphvsp54l567';
    expect(decodeInvoice(real).amountMsat).toBe(2_000_000n);
    for (const bad of ['', 'lnbc1garbage', 'x'.repeat(100), real.slice(0, -1) + 'q']) {
      expect(() => decodeInvoice(bad)).toThrow(MintError);
    }
  });
});
