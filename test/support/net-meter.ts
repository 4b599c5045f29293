/**
 * Network meters on loopback for tests: a TCP server that a test writes raw P1 bytes to (as ser2net, ESPHome's stream
 * server or a Wi-Fi dongle would), which can cut its connection and stop and start listening again on the same port;
 * and an HTTP server answering HomeWizard's P1 meter API v1 (`GET /api/v1/telegram`) as its documentation says.
 */
import { once } from 'node:events';
import { type Server, type Socket, createServer } from 'node:net';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TcpMeter {
  port: number;
  /** Connections accepted so far, newest last. */
  readonly sockets: Socket[];
  /** Resolves with the next connection (or the current one when one is open and not yet taken). */
  nextConnection(): Promise<Socket>;
  /** Stops listening and cuts every connection (the dongle is off). */
  stop(): Promise<void>;
  /** Listens again on the same port (the dongle is back). */
  start(): Promise<void>;
}

export async function tcpMeter(): Promise<TcpMeter> {
  const sockets: Socket[] = [];
  let taken = 0;
  let server: Server;
  let port = 0;
  const waiting: ((s: Socket) => void)[] = [];
  const listen = async () => {
    server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined); // the link may reset its end
      const w = waiting.shift();
      if (w) {
        taken = sockets.length;
        w(s);
      }
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  return {
    get port() {
      return port;
    },
    sockets,
    nextConnection: () =>
      new Promise<Socket>((resolve) => {
        if (sockets.length > taken) resolve(sockets[(taken = sockets.length) - 1]!);
        else waiting.push(resolve);
      }),
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start: listen,
  };
}

/** Writes `bytes` and resolves once they are handed to the kernel. */
export const send = (s: Socket, bytes: Uint8Array): Promise<void> => new Promise((resolve, reject) => s.write(bytes, (e) => (e ? reject(e) : resolve())));

export interface HomeWizardMeter {
  /** `homewizard://127.0.0.1:PORT` */
  address: string;
  /** What the device answers now: a telegram (200 text/plain), or an HTTP status without one. */
  answer: { telegram: Uint8Array } | { status: 503 | 404 | 403 };
  /** Requests seen, by path. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * api-documentation.homewizard.com: `/api/v1/telegram` answers the last valid telegram as text/plain; 503 when the
 * P1 meter has received none; a device without the endpoint (or with the local API off) answers an error.
 */
export async function homeWizardMeter(): Promise<HomeWizardMeter> {
  const requests: string[] = [];
  const meter: HomeWizardMeter = {
    address: '',
    answer: { status: 503 },
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '');
    const a = meter.answer;
    if (req.url !== '/api/v1/telegram' || req.method !== 'GET') res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    else if ('telegram' in a) res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.from(a.telegram));
    else if (a.status === 503) res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"telegram:no-telegram-received"}');
    else res.writeHead(a.status, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  meter.address = `homewizard://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return meter;
}
