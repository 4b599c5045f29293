/**
 * A minimal SOCKS5 server (RFC 1928, username/password auth RFC 1929) on loopback: the demo's built-in route when
 * no Tor is available, and the real hop the tests pay through. It hides nothing (the demo says so); its log of
 * CONNECTs, each with the SOCKS username, proves that every request went through it on its own credentials.
 * Only CONNECT is supported, and by default only to loopback destinations.
 * @module
 */
import { type Server, type Socket, connect, createServer, isIP } from 'node:net';

export interface SocksConnect {
  /** The RFC 1929 username and password, or null when the client chose no authentication. */
  username: string | null;
  password: string | null;
  /** When the CONNECT arrived (ms since the epoch). */
  at: number;
  /** The hop's own port on its connection to the destination, once open: a recording destination matches it. */
  localPort: number | null;
  host: string;
  port: number;
  /** Whether the hop reached the destination. */
  ok: boolean;
}

export interface SocksHop {
  host: string;
  port: number;
  /** Every CONNECT so far, in order. */
  readonly log: readonly SocksConnect[];
  close(): Promise<void>;
}

export interface SocksHopOptions {
  port?: number;
  /** Which destinations may be reached; default: loopback only. */
  allow?: (host: string, port: number) => boolean;
}

const REPLY = { ok: 0x00, failure: 0x01, notAllowed: 0x02, hostUnreachable: 0x04, refused: 0x05, badCommand: 0x07, badAddress: 0x08 } as const;

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Reads exact byte counts from a socket, across chunk boundaries. */
class Reader {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private ended = false;
  constructor(private readonly socket: Socket) {
    socket.on('data', this.onData);
    socket.once('close', () => { this.ended = true; this.wake?.(); });
  }
  private readonly onData = (d: Buffer): void => { this.buf = Buffer.concat([this.buf, d]); this.wake?.(); };
  async take(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.ended) throw new Error('client went away');
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  /** Stops reading and hands back what arrived after the handshake. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    return this.buf;
  }
}

function reply(socket: Socket, code: number): void {
  socket.write(Buffer.from([0x05, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
}

async function handshake(r: Reader, socket: Socket): Promise<{ username: string | null; password: string | null; host: string; port: number } | null> {
  const [ver, nMethods] = await r.take(2);
  if (ver !== 0x05) return null;
  const methods = await r.take(nMethods!);
  let username: string | null = null;
  let password: string | null = null;
  if (methods.includes(0x02)) {
    socket.write(Buffer.from([0x05, 0x02]));
    const [authVer, uLen] = await r.take(2);
    username = (await r.take(uLen!)).toString('utf8');
    const [pLen] = await r.take(1);
    password = (await r.take(pLen!)).toString('utf8'); // any password: Tor uses the pair for circuit isolation, not for access
    socket.write(Buffer.from([0x01, authVer === 0x01 ? 0x00 : 0x01]));
    if (authVer !== 0x01) return null;
  } else if (methods.includes(0x00)) {
    socket.write(Buffer.from([0x05, 0x00]));
  } else {
    socket.write(Buffer.from([0x05, 0xff]));
    return null;
  }
  const [v, cmd, , atyp] = await r.take(4);
  let host: string;
  if (atyp === 0x01) host = [...(await r.take(4))].join('.');
  else if (atyp === 0x03) host = (await r.take((await r.take(1))[0]!)).toString('utf8');
  else if (atyp === 0x04) host = (await r.take(16)).toString('hex').replace(/(.{4})(?!$)/g, '$1:');
  else { reply(socket, REPLY.badAddress); return null; }
  const port = (await r.take(2)).readUInt16BE(0);
  if (v !== 0x05 || cmd !== 0x01) { reply(socket, REPLY.badCommand); return null; }
  return { username, password, host, port };
}

/** Starts the hop on 127.0.0.1 (port 0 = any free port). */
export async function startSocksHop(options: SocksHopOptions = {}): Promise<SocksHop> {
  const allow = options.allow ?? isLoopback;
  const log: SocksConnect[] = [];
  const open = new Set<Socket>();
  const track = (s: Socket): Socket => { open.add(s); s.once('close', () => open.delete(s)); return s; };

  const server: Server = createServer((client) => {
    track(client).on('error', () => client.destroy());
    const r = new Reader(client);
    void handshake(r, client).then((req) => {
      if (!req) return void client.end();
      const entry: SocksConnect = { ...req, at: Date.now(), localPort: null, ok: false };
      log.push(entry);
      if (!allow(req.host, req.port)) { reply(client, REPLY.notAllowed); return void client.end(); }
      const upstream = track(connect({ host: req.host, port: req.port }));
      upstream.once('error', (e: NodeJS.ErrnoException) => {
        if (!entry.ok) { reply(client, e.code === 'ECONNREFUSED' ? REPLY.refused : REPLY.hostUnreachable); client.end(); }
        else client.destroy();
      });
      upstream.once('connect', () => {
        entry.ok = true;
        entry.localPort = upstream.localPort ?? null;
        reply(client, REPLY.ok);
        const early = r.detach();
        if (early.length > 0) upstream.write(early);
        client.pipe(upstream).pipe(client);
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
      });
    }, () => client.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('SOCKS hop did not bind');
  return {
    host: '127.0.0.1',
    port: address.port,
    log,
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
