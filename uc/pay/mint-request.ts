/**
 * How the UC's wallet talks to its mint: cashu-ts's RequestFn contract (NUT-00 errors become MintOperationError,
 * other HTTP failures HttpResponseError, no answer NetworkError), with two choices of the UC's own:
 * - every request has a deadline, so a hung mint frees its swap slot instead of holding it for minutes;
 * - the DLEQ proofs on the mint's signatures of the UC's *own* new proofs are dropped before cashu-ts would verify
 *   them. A DLEQ proof lets a holder check, offline, that a signature is good and not a key tag. The UC's proofs
 *   are made for the UC and stay with it, so neither matters to it. A mint that signed badly could equally refuse
 *   to redeem good proofs later. Checking them costs four secp256k1 multiplications per output on the UC's event
 *   loop, the largest part of the UC's per-swap cost (bench/uc.json).
 * @module
 */
import { HttpResponseError, JSONInt, MintOperationError, NetworkError, type RequestFn } from '@cashu/cashu-ts';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export function mintRequest(timeoutMs: number): RequestFn {
  return async <T>(args: Parameters<RequestFn>[0]): Promise<T> => {
    const body = args.requestBody === undefined ? undefined : JSONInt.stringify(args.requestBody);
    let res: Response;
    try {
      res = await fetch(args.endpoint, {
        method: args.method ?? 'GET',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...args.headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new NetworkError('the mint did not answer', { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSONInt.parse(await res.text());
    } catch (err) {
      throw new HttpResponseError('the mint sent no JSON', res.status, { cause: err });
    }
    if (!res.ok) {
      if (isObject(parsed) && typeof parsed.code === 'number' && typeof parsed.detail === 'string')
        throw new MintOperationError(parsed.code, parsed.detail);
      throw new HttpResponseError('the mint refused the request', res.status);
    }
    if (new URL(args.endpoint).pathname.endsWith('/v1/swap') && isObject(parsed) && Array.isArray(parsed.signatures))
      for (const s of parsed.signatures) if (isObject(s)) delete s.dleq;
    return parsed as T;
  };
}
