/**
 * What proves a request went through Tor on its own circuit (every stream reaches a loopback server from 127.0.0.1,
 * exactly like a direct connection, so the server cannot tell): the client's STREAM events, which carry the
 * circuit id and the SOCKS username; and a server that counts what reaches it, to show nothing did.
 * @module
 */
import { type Server, createServer } from 'node:http';
import { TorControl, parseStreamEvent } from '../../main/engine/tor/index.js';

export interface StreamWatch {
  /** SOCKS username → the circuits its streams succeeded on. */
  circuits(username: string): string[];
  close(): void;
}

/** Subscribes to STREAM events on a tor's control port (cookie auth). */
export async function watchStreams(controlPort: number, cookieFile: string): Promise<StreamWatch> {
  const control = await TorControl.connect(controlPort);
  const seen = new Map<string, Set<string>>();
  try {
    await control.authenticate({ kind: 'cookie', cookieFile });
    control.onEvent((e) => {
      const s = e.name === 'STREAM' ? parseStreamEvent(e.body) : null;
      if (!s || s.status !== 'SUCCEEDED' || s.socksUsername === null) return;
      seen.set(s.socksUsername, (seen.get(s.socksUsername) ?? new Set()).add(s.circuitId));
    });
    await control.setEvents(['STREAM']);
  } catch (e) {
    control.close();
    throw e;
  }
  return { circuits: (u) => [...(seen.get(u) ?? [])], close: () => control.close() };
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
