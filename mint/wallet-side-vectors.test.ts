/**
 * The Cashu vectors that concern the wallet side (testdata/cashu/, transcribed from cashubtc/nuts
 * tests/00-tests.md and 13-tests.md at 3ddb1ae7): token serialisation v3/v4/raw and NUT-13 deterministic secrets,
 * checked against @cashu/cashu-ts, the wallet library that the home engine and the UC use with this mint.
 * (The mint-side vectors, NUT-00/02/12, are in vectors.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { deriveSecretAndBlindingFactor, getDecodedToken, getDecodedTokenBinary, getEncodedToken, type Proof, type Token } from '@cashu/cashu-ts';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { mnemonicToSeedSync } from '@scure/bip39';
import { describe, expect, it } from 'vitest';

const load = (f: string) => JSON.parse(readFileSync(new URL(`../testdata/cashu/${f}`, import.meta.url), 'utf8'));
const tokens = load('tokens-v3-v4.json');
const nut13 = load('nut13-deterministic.json');

type V4Bytes = { $bytes: string };
interface V4Token { t: { i: V4Bytes; p: { a: number; s: string; c: V4Bytes }[] }[]; m: string; u: string; d?: string }
interface V3Token { token: { mint: string; proofs: { amount: number; id: string; secret: string; C: string }[] }[]; unit: string; memo?: string }

// cashu-ts 4 carries amounts as Amount objects (bigint inside); the vectors as JSON numbers.
const proofsOf = (t: Token) => t.proofs.map((p: Proof) => ({ amount: Number(p.amount.toString()), id: p.id, secret: p.secret, C: p.C }));
const v4Proofs = (t: V4Token) => t.t.flatMap((k) => k.p.map((p) => ({ amount: p.a, id: k.i.$bytes, secret: p.s, C: p.c.$bytes })));
const v4Ids = (t: V4Token) => t.t.map((k) => k.i.$bytes);

describe('NUT-00 token serialisation through cashu-ts', () => {
  const v3View = (t: Token) => ({ mint: t.mint, unit: t.unit, memo: t.memo, proofs: proofsOf(t) });
  const v3Expected = (t: V3Token) => ({ mint: t.token[0]!.mint, unit: t.unit, memo: t.memo, proofs: t.token[0]!.proofs });
  const v3Ids = (t: V3Token) => t.token.flatMap((e) => e.proofs.map((p) => p.id));

  it('decodes every valid cashuA (v3) token to the vector', () => {
    for (const { token, serialized } of tokens.v3.valid as { token: V3Token; serialized: string }[])
      expect(v3View(getDecodedToken(serialized, v3Ids(token)))).toEqual(v3Expected(token));
  });

  it('decodes a v3 token the same with and without base64 padding', () => {
    const variants = tokens.v3.valid_padding_variants as { serialized: string }[];
    expect(variants.map((v) => v.serialized.endsWith('='))).toContain(true);
    expect(variants.map((v) => v.serialized.endsWith('='))).toContain(false);
    const [first, ...rest] = variants.map((v) => v3View(getDecodedToken(v.serialized, ['009a1f293253e41e'])));
    expect(first!.proofs.length).toBeGreaterThan(0);
    for (const other of rest) expect(other).toEqual(first);
  });

  it('refuses every invalid v3 token', () => {
    expect(tokens.v3.invalid.length).toBeGreaterThan(0);
    for (const { serialized } of tokens.v3.invalid as { serialized: string }[]) expect(() => getDecodedToken(serialized, ['009a1f293253e41e'])).toThrow();
  });

  it('decodes every cashuB (v4) token to the vector and round-trips it', () => {
    for (const { token, serialized } of tokens.v4.valid as { token: V4Token; serialized: string }[]) {
      const decoded = getDecodedToken(serialized, v4Ids(token));
      expect({ mint: decoded.mint, unit: decoded.unit, memo: decoded.memo }).toEqual({ mint: token.m, unit: token.u, memo: token.d });
      expect(proofsOf(decoded)).toEqual(v4Proofs(token));
      const again = getEncodedToken(decoded);
      expect(again.startsWith('cashuB')).toBe(true);
      expect(proofsOf(getDecodedToken(again, v4Ids(token)))).toEqual(v4Proofs(token));
    }
  });

  it('decodes the raw binary (crawB) token to the vector', () => {
    const raw = tokens.v4_raw_binary as { token: V4Token; binary_hex: string };
    const decoded = getDecodedTokenBinary(hexToBytes(raw.binary_hex));
    expect({ mint: decoded.mint, unit: decoded.unit, memo: decoded.memo }).toEqual({ mint: raw.token.m, unit: raw.token.u, memo: raw.token.d });
    expect(proofsOf(decoded)).toEqual(v4Proofs(raw.token));
  });
});

describe('NUT-13 deterministic secrets through cashu-ts', () => {
  const seed = mnemonicToSeedSync(nut13.mnemonic, nut13.bip39_passphrase);
  it.each([['v1 (BIP-32, keyset 00…)', nut13.v1_legacy_bip32], ['v2 (HMAC-SHA256, keyset 01…)', nut13.v2_hmac_sha256]])('%s', (_name, suite) => {
    expect(suite.vectors.length).toBe(5);
    for (const v of suite.vectors as { counter: number; secret: string; r: string }[]) {
      const { secret, blindingFactor } = deriveSecretAndBlindingFactor(seed, suite.keyset_id, v.counter);
      expect(bytesToHex(secret)).toBe(v.secret);
      expect(bytesToHex(blindingFactor)).toBe(v.r);
    }
  });
});
