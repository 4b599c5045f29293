/**
 * The only way the engine reaches the network (issue 5 §Proxy): every request goes through a SOCKS5 proxy on a
 * fresh connection with fresh random credentials, so Tor's IsolateSOCKSAuth puts it on its own circuit. No cookies,
 * no keep-alive, the same minimal headers every time. Fail closed: without a proxy nothing is sent.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { SocksClient } from 'socks';
import { EngineError, type EngineErrorCode } from '../errors.js';

export interface SocksRoute {
  host: string;
  port: number;
}

export interface RouteRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** The code for a destination that cannot be reached through a working proxy. */
  unreachable: Extract<EngineErrorCode, 'uc-unreachable' | 'mint-unreachable'>;
  /** The code for an answer that began but is not readable (not JSON, cut short); default `unreachable`. */
  malformed?: Extract<EngineErrorCode, 'uc-error' | 'mint-unreachable'>;
  timeoutMs?: number;
  /** JSON by default; cashu-ts needs its bigint-aware JSONInt. */
  codec?: JsonCodec;
}

export interface JsonCodec {
  stringify(value: unknown): string | undefined;
  parse(text: string): unknown;
}

export interface RouteResponse {
  status: number;
  body: unknown;
  /** The Retry-After header, in delta-seconds, as ms (at most an hour); undefined when absent or a date. */
  retryAfterMs?: number;
}

const MAX_RETRY_AFTER_S = 3_600;

const MAX_RESPONSE_BYTES = 1 << 20;
const DEFAULT_TIMEOUT_MS = 60_000; // a fresh Tor circuit can take seconds

/** Fresh per-request credentials: distinct pairs never share a Tor circuit. */
const isolation = () => ({ userId: randomBytes(12).toString('hex'), password: randomBytes(12).toString('hex') });

/** A fresh SOCKS connection (its own circuit) to `url`'s host, TLS on top for https: and wss:. */
export async function openTunnel(route: SocksRoute, url: URL, req: Pick<RouteRequest, 'unreachable' | 'timeoutMs'>): Promise<Socket> {
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const port = Number(url.port || (secure ? 443 : 80));
  let socket;
  try {
    ({ socket } = await SocksClient.createConnection({
      proxy: { host: route.host, port: route.port, type: 5, ...isolation() },
      command: 'connect',
      destination: { host: url.hostname.replace(/^\[|\]$/g, ''), port },
      timeout: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    }));
  } catch (e) {
    // The proxy answered and refused the destination: the proxy works, the destination does not.
    if (String((e as Error).message).startsWith('Socks5 proxy rejected connection'))
      throw new EngineError(req.unreachable, `${url.host} cannot be reached through the proxy`, { cause: e });
    throw new EngineError('proxy-refused', `the SOCKS proxy at ${route.host}:${route.port} is not working; nothing was sent`, { cause: e });
  }
  if (!secure) return socket;
  return tlsConnect({ socket, servername: url.hostname });
}

/**
 * One HTTP request through `route` (null: fail closed, 'proxy-refused', nothing sent). Throws EngineError with
 * `req.unreachable` when the request may or may not have arrived (a retry must be idempotent).
 */
export async function routeRequest(route: SocksRoute | null, req: RouteRequest): Promise<RouteResponse> {
  if (route === null) throw new EngineError('proxy-refused', 'no SOCKS proxy is configured; nothing was sent');
  const url = new URL(req.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EngineError('bad-request', 'only http and https URLs are supported');
  const tunnel = await openTunnel(route, url, req);
  const codec = req.codec ?? JSON;
  const payload = req.body === undefined ? null : Buffer.from(codec.stringify(req.body) ?? 'null');
  const headers: Record<string, string> = { host: url.host, accept: 'application/json', connection: 'close' };
  if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(payload.length) });

  return new Promise<RouteResponse>((resolve, reject) => {
    const fail = (e: unknown) => {
      tunnel.destroy();
      reject(e instanceof EngineError ? e : new EngineError(req.unreachable, `no complete answer from ${url.host}`, { cause: e }));
    };
    // No `agent`: with one, Node ignores createConnection and dials the URL itself, i.e. a direct connection.
    const r = httpRequest({
      method: req.method, path: `${url.pathname}${url.search}`, headers, setHost: false,
      createConnection: () => tunnel, timeout: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) r.destroy(new Error('answer too large'));
        else chunks.push(c);
      });
      // The request arrived and an answer began: what follows is the destination's fault, not the path's.
      const garbled = (what: string) => fail(new EngineError(req.malformed ?? req.unreachable, `${url.host} sent ${what}`));
      res.once('error', () => garbled('an answer cut short'));
      res.once('close', () => { if (!res.complete) garbled('an answer cut short'); });
      res.once('end', () => {
        tunnel.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try { body = text.length > 0 ? codec.parse(text) : null; } catch { return garbled('an answer that is not JSON'); }
        const after = /^\s*(\d{1,9})\s*$/.exec(String(res.headers['retry-after'] ?? ''));
        resolve({ status: res.statusCode ?? 0, body, ...(after ? { retryAfterMs: Math.min(Number(after[1]), MAX_RETRY_AFTER_S) * 1000 } : {}) });
      });
    });
    r.once('timeout', () => r.destroy(new Error('timed out')));
    r.once('error', fail);
    r.end(payload ?? undefined);
  });
}
