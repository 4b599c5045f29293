/**
 * What proves a request went through Tor on its own circuit (every stream reaches a loopback server from 127.0.0.1,
 * exactly like a direct connection, so the server cannot tell): the client's STREAM events, which carry the
 * circuit id and the SOCKS username; and a server that counts what reaches it, to show nothing did.
 * @module
 */
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { type Socket, connect, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { TorControl, parseStreamEvent } from '../../main/engine/tor/index.js';

export interface StreamWatch {
  /** SOCKS username → the circuits its streams succeeded on. */
  circuits(username: string): string[];
  /** Every stream that succeeded, in order: its SOCKS username (null: none), circuit and target (`127.0.0.1:port`). */
  streams(): { username: string | null; circuitId: string; target: string }[];
  close(): void;
}

/** Subscribes to STREAM events on a tor's control port (cookie auth). */
export async function watchStreams(controlPort: number, cookieFile: string): Promise<StreamWatch> {
  const control = await TorControl.connect(controlPort);
  const seen = new Map<string, Set<string>>();
  const all: { username: string | null; circuitId: string; target: string }[] = [];
  try {
    await control.authenticate({ kind: 'cookie', cookieFile });
    control.onEvent((e) => {
      const s = e.name === 'STREAM' ? parseStreamEvent(e.body) : null;
      if (!s || s.status !== 'SUCCEEDED') return;
      all.push({ username: s.socksUsername, circuitId: s.circuitId, target: s.target });
      if (s.socksUsername === null) return;
      seen.set(s.socksUsername, (seen.get(s.socksUsername) ?? new Set()).add(s.circuitId));
    });
    await control.setEvents(['STREAM']);
  } catch (e) {
    control.close();
    throw e;
  }
  return { circuits: (u) => [...(seen.get(u) ?? [])], streams: () => [...all], close: () => control.close() };
}

/** STREAM events of a tor started with `startTorProcess` (e.g. the engine's own, in `<dataDir>/tor`), found through its data folder. */
export async function watchStreamsIn(torDataDir: string): Promise<StreamWatch> {
  const port = Number(/:(\d+)/.exec(readFileSync(join(torDataDir, 'control-port'), 'utf8'))?.[1]);
  return watchStreams(port, join(torDataDir, 'control_auth_cookie'));
}

export interface CountingServer {
  url: string;
  /** Requests received so far. */
  hits(): number;
  close(): Promise<void>;
}

/** A loopback HTTP server that answers "ok" and counts requests. */
export async function countingServer(): Promise<CountingServer> {
  let hits = 0;
  const server: Server = createServer((_req, res) => { hits++; res.end('ok'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    hits: () => hits,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface CountingRelay {
  /** The relay's own address, to use instead of the server's: `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Connections that reached the server through the relay (one per request: the engine never reuses one). */
  connections(): number;
  /** Each connection's first request line, method and path (plain HTTP on loopback), in order of arrival. */
  requests(): string[];
  close(): Promise<void>;
}

/** A loopback TCP relay in front of a server (e.g. the UC or the mint) that counts the connections reaching it. */
export async function countingRelay(targetPort: number): Promise<CountingRelay> {
  let connections = 0;
  const requests: string[] = [];
  const open = new Set<Socket>();
  const server = createTcpServer((client) => {
    connections++;
    client.once('data', (d: Buffer) => requests.push(/^(\S+ \S+)/.exec(d.toString('latin1'))?.[1] ?? '?'));
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) { open.add(s); s.once('close', () => open.delete(s)); s.on('error', () => { client.destroy(); upstream.destroy(); }); }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`, port,
    connections: () => connections,
    requests: () => [...requests],
    close: () => new Promise<void>((r) => { for (const s of open) s.destroy(); server.close(() => r()); }),
  };
}
