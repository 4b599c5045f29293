/**
 * A counting front for a server (the mint, the UC): a plain HTTP relay on loopback that its clients reach instead
 * of the server itself (the UC and the engine reach the mint through one; the engine, through the SOCKS hop, the UC
 * through another). It counts the refusals by their error code (the mint's NUT-00 number, the UC's `error` word)
 * without touching the server, and lets the chaos campaign act when a request arrives, or when the server has
 * answered but the client has not heard it yet.
 * @module
 */
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** The path without its query (quote ids sit in the path of GET /v1/mint/quote/bolt11/{id}; never logged). */
  path: string;
  status: number;
  /** The error code of a refusal (NUT-00 `code`, or the UC's `error`), else null. */
  code: string | null;
}

export interface Front {
  url: string;
  /** Refusals (4xx and 5xx answers) by error code, over the whole campaign. */
  readonly refusals: Map<string, number>;
  /** Called when a request arrives, before it goes on to the mint. */
  onRequest: ((method: string, path: string) => void) | null;
  /** Called with the mint's answer before the client gets it; the answer waits for the returned promise. */
  onAnswer: ((x: Exchange) => Promise<void> | void) | null;
  close(): Promise<void>;
}

const readAll = async (s: IncomingMessage): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

function errorCode(body: Buffer): string | null {
  try {
    const o = JSON.parse(body.toString('utf8')) as { code?: unknown; error?: unknown };
    return typeof o.code === 'number' ? String(o.code) : typeof o.error === 'string' ? o.error : null;
  } catch {
    return null;
  }
}

/** Starts the front for the server at `target` (http://127.0.0.1:PORT). */
export async function startFront(target: string): Promise<Front> {
  const to = new URL(target);
  const front: Front = {
    url: '', refusals: new Map(), onRequest: null, onAnswer: null,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
  const relay = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const path = (req.url ?? '/').split('?')[0]!;
    front.onRequest?.(req.method ?? 'GET', path);
    const answer = await new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (r) => {
        void readAll(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: { 'content-type': r.headers['content-type'] ?? 'application/json' }, body: b }), reject);
      });
      out.once('error', reject);
      out.end(body);
    });
    const code = answer.status >= 400 ? errorCode(answer.body) : null;
    if (code !== null) front.refusals.set(code, (front.refusals.get(code) ?? 0) + 1);
    await front.onAnswer?.({ method: req.method ?? 'GET', path, status: answer.status, code });
    if (res.destroyed) return; // the client died while the answer waited
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };
  const server = createServer((req, res) => {
    relay(req, res).catch(() => { if (!res.headersSent) res.writeHead(502).end(); else res.destroy(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return front;
}
