/**
 * cashu-ts's pluggable request function, through the SOCKS route: the mint, like the UC, is only ever reached
 * through the proxy, each request on its own connection and circuit (fail closed: no proxy, no request).
 * @module
 */
import { HttpResponseError, JSONInt, MintOperationError, type RequestFn, type RequestOptions } from '@cashu/cashu-ts';
import { type SocksRoute, routeRequest } from '../route/index.js';

/** A RequestFn honouring cashu-ts's error contract: NUT-00 `{code, detail}` answers become MintOperationError. */
export function mintRequest(route: () => SocksRoute | null): RequestFn {
  return async <T>(o: RequestOptions): Promise<T> => {
    const method = (o.method ?? (o.requestBody ? 'POST' : 'GET')).toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new Error(`unsupported mint request method ${method}`);
    const r = await routeRequest(route(), { method, url: o.endpoint, body: o.requestBody, unreachable: 'mint-unreachable', codec: JSONInt });
    if (r.status >= 200 && r.status < 300) return r.body as T;
    const b = r.body as { code?: unknown; detail?: unknown } | null;
    if (b && typeof b.code === 'number') throw new MintOperationError(b.code, String(b.detail ?? 'mint error'));
    throw new HttpResponseError(`mint answered HTTP ${r.status}`, r.status);
  };
}
