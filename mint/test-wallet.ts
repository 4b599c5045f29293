/**
 * A bare-hands wallet for the mint's own tests: blinded messages, unblinding and minting built directly from
 * @cashu/cashu-ts's primitives, so tests can send exactly the requests they mean (duplicates, races, bad
 * values) through `app.inject()` or real HTTP. Not used by the mint itself.
 * @module
 */
import { blindMessage, pointFromHex, unblindSignature } from '@cashu/cashu-ts';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { randomBytes } from 'node:crypto';

export interface WireProof {
  amount: number;
  id: string;
  secret: string;
  C: string;
  witness?: string;
}

export interface Blank {
  output: { amount: number; id: string; B_: string };
  secret: string;
  r: bigint;
}

/** POSTs JSON (or GETs when body is undefined), with any extra headers, and returns status and parsed body. */
export type Call = (method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;

export function fetchCall(baseUrl: string): Call {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
}

/** Blinded messages for `amounts` in keyset `id`, with random hex secrets (or the given ones). */
export function blanks(id: string, amounts: readonly number[], secrets?: readonly string[]): Blank[] {
  return amounts.map((amount, i) => {
    const secret = secrets?.[i] ?? bytesToHex(randomBytes(32));
    const { B_, r } = blindMessage(utf8ToBytes(secret));
    return { output: { amount, id, B_: B_.toHex(true) }, secret, r };
  });
}

/** Unblinds the mint's signatures into proofs with the keyset's public keys. */
export function unblind(
  signatures: readonly { amount: number; id: string; C_: string }[],
  from: readonly Blank[],
  keys: Readonly<Record<string, string>>,
): WireProof[] {
  return signatures.map((s, i) => {
    const b = from[i] as Blank;
    const C = unblindSignature(pointFromHex(s.C_), b.r, pointFromHex(keys[String(s.amount)] as string));
    return { amount: s.amount, id: s.id, secret: b.secret, C: C.toHex(true) };
  });
}

/** Mints proofs of `amounts` (the mint must pay its quotes itself: FakeLightning 'auto'). */
export async function mintProofs(call: Call, amounts: readonly number[], secrets?: readonly string[]): Promise<WireProof[]> {
  const { body: keys } = await call('GET', '/v1/keys');
  const keyset = keys.keysets[0];
  const total = amounts.reduce((s, a) => s + a, 0);
  const { body: quote } = await call('POST', '/v1/mint/quote/bolt11', { amount: total, unit: keyset.unit });
  const bl = blanks(keyset.id, amounts, secrets);
  const res = await call('POST', '/v1/mint/bolt11', { quote: quote.quote, outputs: bl.map((b) => b.output) });
  if (res.status !== 200) throw new Error(`mint failed: ${JSON.stringify(res.body)}`);
  return unblind(res.body.signatures, bl, keyset.keys);
}
