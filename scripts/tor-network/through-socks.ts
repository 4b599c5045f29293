/**
 * One plain HTTP GET through a SOCKS5 port with the `socks` package: the probe that proves the network carries a
 * request end to end, and the tests' client. A fresh connection every time (pitfall: a pooled socket is bound to
 * one circuit), and the credentials choose the circuit (IsolateSOCKSAuth).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { SocksClient } from 'socks';

export interface SocksIdentity {
  username: string;
  password: string;
}

/** Random credentials: a pair tor has never seen, so a circuit of its own. */
export const freshIdentity = (): SocksIdentity =>
  ({ username: randomBytes(8).toString('hex'), password: randomBytes(8).toString('hex') });

/** GET `url` (an IP literal: the exits have no DNS) through 127.0.0.1:`socksPort`, bounded by `timeoutMs`. */
export async function getThroughSocks(socksPort: number, url: string, id: SocksIdentity, timeoutMs = 15_000): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const { socket } = await SocksClient.createConnection({
    proxy: { host: '127.0.0.1', port: socksPort, type: 5, userId: id.username, password: id.password },
    command: 'connect',
    destination: { host: u.hostname, port: Number(u.port || 80) },
    timeout: timeoutMs,
  });
  return new Promise((resolve, reject) => {
    const req = request({
      method: 'GET', path: u.pathname + u.search, headers: { host: u.host, connection: 'close' },
      createConnection: () => socket, timeout: timeoutMs,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.once('error', (e) => { socket.destroy(); reject(e); });
    req.end();
  });
}

/**
 * A TCP port that was free a moment ago, for ports other nodes must know before tor starts. Drawn below Linux's
 * ephemeral range (32768+), where `auto` ports and outgoing connections live, so those never take it meanwhile.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canBind(port)) return port;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
