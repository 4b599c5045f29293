import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = join(import.meta.dirname, '..');
// The only files that may open sockets: the SOCKS route itself, the WebSocket through it (NUT-17: `ws` is handed the
// route's tunnel as its connection), the demo's SOCKS hop (a server), and the Tor ControlPort client (loopback, to
// the engine's own tor).
const ALLOWED = new Set(['route/socks-route.ts', 'route/socks-websocket.ts', 'socks-hop/socks-hop.ts', 'tor/control-client.ts']);
const NETWORK = /from 'node:(net|http|https|http2|tls|dgram)'|\bfetch\(|from 'ws'|from 'undici'/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []);
}

describe('no direct connection (issue 5 §Proxy)', () => {
  it('no engine file but the SOCKS route, the hop and the Tor control client can open a socket', () => {
    const offenders = sources(ENGINE).map((f) => relative(ENGINE, f)).filter((f) => !ALLOWED.has(f) && NETWORK.test(readFileSync(join(ENGINE, f), 'utf8')));
    expect(offenders).toEqual([]);
    for (const f of ALLOWED) expect(NETWORK.test(readFileSync(join(ENGINE, f), 'utf8'))).toBe(true); // the rule still bites
  });
});
