/**
 * Browser mode's host (issue 7): serves the built window and bridges the engine's API over a WebSocket on loopback.
 * A per-launch secret travels in the page URL's fragment (never in an HTTP request line or a log); the socket is
 * accepted only with that secret, from this host's own origin, addressed to this host by its loopback name (so a
 * DNS-rebinding page cannot drive it either).
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { WebSocketServer } from 'ws';
import { serveSocket, type EngineHandle } from './bridge.js';

export interface BrowserHostOptions {
  engine: EngineHandle;
  /** The built renderer (vite build output). */
  rendererDir: string;
  port?: number;
}

export interface BrowserHost {
  /** Open this to use the app: it carries the secret in its fragment. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Calls are small JSON; anything bigger is not ours. */
const MAX_MESSAGE = 64 * 1024;

/** The same policy as the page's meta tag, plus what only a header can say (frame-ancestors). */
export const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

function sameSecret(given: string | null, secret: Buffer): boolean {
  if (given === null) return false;
  const g = Buffer.from(given);
  return g.length === secret.length && timingSafeEqual(g, secret);
}

function refuse(socket: Duplex, status: 403 | 404): void {
  socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const secret = Buffer.from(randomBytes(32).toString('base64url'));
  const app = Fastify({ logger: false, bodyLimit: MAX_MESSAGE });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  let origin = '';

  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.host !== origin.slice('http://'.length)) return reply.code(403).send();
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cache-Control', 'no-store');
  });
  await app.register(fastifyStatic, { root: opts.rendererDir, index: 'index.html', wildcard: false });

  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/api') return refuse(socket, 404);
    if (req.headers.origin !== origin || req.headers.host !== url.host || !sameSecret(url.searchParams.get('secret'), secret))
      return refuse(socket, 403);
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.engine));
  });

  await app.listen({ host: HOST, port: opts.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('browser host: no TCP address');
  origin = `http://${HOST}:${address.port}`;
  return {
    url: `${origin}/#secret=${secret.toString()}`,
    port: address.port,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await app.close();
    },
  };
}
