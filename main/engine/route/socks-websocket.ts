/**
 * A WebSocket through the SOCKS route, for NUT-17 subscriptions: the same fail-closed tunnel as routeRequest (fresh
 * credentials, so its own Tor circuit; no proxy, no connection), handed to `ws` as its connection so that `ws`
 * never dials the destination itself. No compression extension and no Origin: the fewest headers that work.
 * @module
 */
import WebSocket from 'ws';
import { EngineError } from '../errors.js';
import { type SocksRoute, openTunnel } from './socks-route.js';

const OPEN_TIMEOUT_MS = 60_000; // a fresh Tor circuit can take seconds
const MAX_MESSAGE_BYTES = 1 << 20;

/** Opens `url` (http(s): is read as ws(s):) through `route`; rejects 'proxy-refused' or 'mint-unreachable'. */
export async function routeWebSocket(route: SocksRoute | null, url: string): Promise<WebSocket> {
  if (route === null) throw new EngineError('proxy-refused', 'no SOCKS proxy is configured; nothing was sent');
  const u = new URL(url.replace(/^http/, 'ws'));
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new EngineError('bad-request', 'only ws and wss URLs are supported');
  const tunnel = await openTunnel(route, u, { unreachable: 'mint-unreachable', timeoutMs: OPEN_TIMEOUT_MS });
  const ws = new WebSocket(u, { createConnection: () => tunnel, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES, handshakeTimeout: OPEN_TIMEOUT_MS });
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', (e) => {
      tunnel.destroy();
      reject(new EngineError('mint-unreachable', `no WebSocket at ${u.host}`, { cause: e }));
    });
  });
}
