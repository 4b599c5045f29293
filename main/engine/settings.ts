/**
 * The engine's settings, kept in the wallet database (meta): the proxy (none, a named SOCKS proxy, or the engine's
 * own tor), the UC's and the mint's addresses.
 * Arguments from the window are checked here, since they cross a process boundary.
 * @module
 */
import type { ProxyConfig } from '../api/index.js';
import { EngineError } from './errors.js';
import type { SocksRoute } from './route/index.js';
import { type Db, getMeta, setMeta } from './wallet/index.js';

const LABELS = ['system-tor', 'tor-browser', 'custom', 'demo-hop'];

export function readProxy(db: Db): ProxyConfig {
  const p = getMeta(db, 'proxy');
  return p ? (JSON.parse(p) as ProxyConfig) : { kind: 'none' };
}

/** Validates and stores the proxy the user named. */
export function writeProxy(db: Db, config: ProxyConfig): ProxyConfig {
  const c: Record<string, unknown> = { ...config };
  const port = Number(c.port);
  let clean: ProxyConfig;
  if (c.kind === 'none') clean = { kind: 'none' };
  else if (c.kind === 'managed') clean = { kind: 'managed' };
  else if (c.kind === 'socks' && typeof c.host === 'string' && c.host.length > 0 && Number.isInteger(port) && port >= 1 && port <= 65535 && LABELS.includes(String(c.label)))
    clean = { kind: 'socks', host: c.host, port, label: c.label as Extract<ProxyConfig, { kind: 'socks' }>['label'] };
  else throw new EngineError('bad-request', 'a proxy is {kind: "none"}, {kind: "managed"} (the engine\'s own tor) or a SOCKS host, a port between 1 and 65535 and a label');
  setMeta(db, 'proxy', JSON.stringify(clean));
  return clean;
}

/** The route of a named SOCKS proxy; null for none, and for managed (its route is the supervisor's, once ready). */
export const routeOf = (p: ProxyConfig): SocksRoute | null => (p.kind === 'socks' ? { host: p.host, port: p.port } : null);

export function requireUcUrl(db: Db): string {
  const u = getMeta(db, 'uc-url');
  if (!u) throw new EngineError('bad-request', 'no utility URL is configured');
  return u;
}
