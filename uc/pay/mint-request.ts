/**
 * How the UC's wallet talks to its mint: cashu-ts's RequestFn contract (NUT-00 errors become MintOperationError,
 * other HTTP failures HttpResponseError, no answer NetworkError), with two choices of the UC's own:
 * - every request has a deadline, so a hung mint frees its swap slot instead of holding it for minutes;
 * - the DLEQ proofs on the mint's signatures of the UC's *own* new proofs are dropped before cashu-ts would verify
 *   them. A DLEQ proof lets a holder check, offline, that a signature is good and not a key tag. The UC's proofs
 *   are made for the UC and stay with it, so neither matters to it. A mint that signed badly could equally refuse
 *   to redeem good proofs later. Checking them would cost four more secp256k1 multiplications per output on the UC's
 *   event loop (native-outputs.ts checks a proof it is given) for nothing the UC needs.
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import { HttpResponseError, JSONInt, MintOperationError, NetworkError, type RequestFn } from '@cashu/cashu-ts';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

interface Answer { status: number; text: string }

/**
 * One request over node:http(s) on kept-alive connections, its whole exchange within `timeoutMs`. Not fetch: undici's
 * fetch cost four times node:http's CPU per request here (≈ 1.3 ms more per swap, client and server measured together).
 */
function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, { method, headers, agent });
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.once('error', (err) => (clearTimeout(deadline), reject(err)));
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', (err) => (clearTimeout(deadline), reject(err)));
      res.once('end', () => (clearTimeout(deadline), resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })));
    });
    req.end(body);
  });
}

export function mintRequest(timeoutMs: number): RequestFn {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return async <T>(args: Parameters<RequestFn>[0]): Promise<T> => {
    const body = args.requestBody === undefined ? undefined : JSONInt.stringify(args.requestBody);
    const url = new URL(args.endpoint);
    const headers: Record<string, string> = { accept: 'application/json', ...args.headers };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    let res: Answer;
    try {
      res = await send(url.protocol === 'https:' ? agents.https : agents.http, url, args.method ?? 'GET', headers, body, timeoutMs);
    } catch (err) {
      throw new NetworkError('the mint did not answer', { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSONInt.parse(res.text);
    } catch (err) {
      throw new HttpResponseError('the mint sent no JSON', res.status, { cause: err });
    }
    if (res.status < 200 || res.status >= 300) {
      if (isObject(parsed) && typeof parsed.code === 'number' && typeof parsed.detail === 'string')
        throw new MintOperationError(parsed.code, parsed.detail);
      throw new HttpResponseError('the mint refused the request', res.status);
    }
    if (url.pathname.endsWith('/v1/swap') && isObject(parsed) && Array.isArray(parsed.signatures))
      for (const s of parsed.signatures) if (isObject(s)) delete s.dleq;
    return parsed as T;
  };
}
